package io.rvfeed.db;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL 17 as a real default: durable ({@code fsync},
 * {@code synchronous_commit} and {@code full_page_writes} on, where the library's
 * defaults are a test's), listening on 127.0.0.1 only (no Unix socket), and requiring the
 * superuser's password (SCRAM), which is generated on the first start and kept in a file
 * only its owner can read. Every start checks that this is so and refuses to go on
 * otherwise. A data directory made by an earlier version (which trusted local
 * connections) is given a password on its next start.
 */
public final class EmbeddedDatabase implements Closeable {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

	public static final String USER = "postgres";

	public static final String DATABASE = "postgres";

	static final List<String> DURABILITY_SETTINGS = List.of("fsync", "synchronous_commit", "full_page_writes");

	private static final Pattern TRUST_RULE = Pattern.compile("^(\\s*(?:local|host\\S*)\\s.*\\s)trust(\\s*)$");

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

	private final EmbeddedPostgres postgres;

	private final String password;

	private final EmbeddedDatabaseProperties properties;

	private EmbeddedDatabase(EmbeddedPostgres postgres, String password, EmbeddedDatabaseProperties properties) {
		this.postgres = postgres;
		this.password = password;
		this.properties = properties;
	}

	/**
	 * Starts the database in {@code properties.dataDirectory()} (creating it on the first
	 * start) and checks its settings.
	 * @throws IllegalStateException if it would not run durable and private
	 */
	public static EmbeddedDatabase start(EmbeddedDatabaseProperties properties) throws IOException {
		Path directory = properties.dataDirectory().toAbsolutePath().normalize();
		Files.createDirectories(directory.getParent());
		boolean exists = Files.exists(directory.resolve("postgresql.conf"));
		Path passwordFile = properties.passwordFile();
		if (exists && !Files.exists(passwordFile) && !trustsLocalConnections(directory)) {
			throw new IllegalStateException("The embedded database in " + directory + " needs its password file "
					+ passwordFile + ", which is missing. Restore it from a backup of ./data.");
		}
		String password = readOrCreatePassword(passwordFile);
		EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
			.setDataDirectory(directory)
			.setCleanDataDirectory(properties.deleteOnStop())
			.setPort(properties.port())
			.setServerConfig("listen_addresses", "127.0.0.1")
			.setServerConfig("unix_socket_directories", "")
			.setServerConfig("password_encryption", "scram-sha-256")
			.setServerConfig("max_connections", "100")
			// initdb: the superuser gets the password; every connection must give it
			.setLocaleConfig("auth", "scram-sha-256")
			.setLocaleConfig("pwfile", passwordFile.toString())
			.setConnectConfig("password", password);
		String durable = properties.nonDurableForTests() ? "off" : "on";
		DURABILITY_SETTINGS.forEach((setting) -> builder.setServerConfig(setting, durable));
		EmbeddedPostgres postgres = builder.start();
		EmbeddedDatabase database = new EmbeddedDatabase(postgres, password, properties);
		try {
			if (exists) {
				database.requirePasswords();
			}
			database.check();
		}
		catch (RuntimeException | SQLException ex) {
			database.close();
			throw (ex instanceof RuntimeException runtime) ? runtime
					: new IllegalStateException("Could not check the embedded database's settings", ex);
		}
		if (properties.nonDurableForTests()) {
			log.warn("The embedded database runs NON-DURABLE (fsync, synchronous_commit and full_page_writes off):"
					+ " for tests only; a crash loses committed data");
		}
		log.info("Embedded PostgreSQL is running at 127.0.0.1:{} with data in {} (password in {})", postgres.getPort(),
				directory, passwordFile);
		return database;
	}

	public int port() {
		return this.postgres.getPort();
	}

	public String jdbcUrl() {
		return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
	}

	public String password() {
		return this.password;
	}

	public Connection connect() throws SQLException {
		Properties credentials = new Properties();
		credentials.setProperty("user", USER);
		credentials.setProperty("password", this.password);
		return DriverManager.getConnection(jdbcUrl(), credentials);
	}

	/** The settings the start-up check reads, by name. */
	public Map<String, String> settings() throws SQLException {
		Map<String, String> settings = new LinkedHashMap<>();
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			for (String name : List.of("fsync", "synchronous_commit", "full_page_writes", "listen_addresses",
					"unix_socket_directories", "password_encryption")) {
				try (ResultSet rows = statement.executeQuery("show " + name)) {
					rows.next();
					settings.put(name, rows.getString(1));
				}
			}
		}
		return settings;
	}

	private void check() throws SQLException {
		Map<String, String> settings = settings();
		List<String> problems = new ArrayList<>();
		if (!this.properties.nonDurableForTests()) {
			for (String setting : DURABILITY_SETTINGS) {
				if (!"on".equals(settings.get(setting))) {
					problems.add(setting + " is " + settings.get(setting) + ", not on");
				}
			}
		}
		if (!"127.0.0.1".equals(settings.get("listen_addresses"))) {
			problems.add("listen_addresses is '" + settings.get("listen_addresses") + "', not 127.0.0.1");
		}
		if (!settings.get("unix_socket_directories").isEmpty()) {
			problems.add("it has a Unix socket in " + settings.get("unix_socket_directories"));
		}
		try (Connection connection = connect();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(
						"select count(*) from pg_hba_file_rules where auth_method not in ('scram-sha-256', 'md5', 'reject')"
								+ " or error is not null")) {
			rows.next();
			if (rows.getLong(1) > 0) {
				problems.add("pg_hba.conf lets a connection in without the password");
			}
		}
		if (!problems.isEmpty()) {
			throw new IllegalStateException("The embedded database is not durable and private: "
					+ String.join("; ", problems) + ". Refusing to start.");
		}
	}

	/**
	 * Gives the superuser the password and makes every connection give it, in a data
	 * directory made when local connections were trusted.
	 */
	private void requirePasswords() throws SQLException, IOException {
		Path directory = this.properties.dataDirectory().toAbsolutePath().normalize();
		if (!trustsLocalConnections(directory)) {
			return;
		}
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute("set password_encryption = 'scram-sha-256'");
			// the password is base64url: nothing in it needs escaping
			statement.execute("alter role " + USER + " password '" + this.password + "'");
			Path hba = directory.resolve("pg_hba.conf");
			List<String> lines = new ArrayList<>();
			for (String line : Files.readAllLines(hba, StandardCharsets.UTF_8)) {
				lines.add(TRUST_RULE.matcher(line).replaceFirst("$1scram-sha-256$2"));
			}
			Files.write(hba, lines, StandardCharsets.UTF_8);
			statement.execute("select pg_reload_conf()");
		}
		// the reload is asynchronous: wait until the new rules are in force
		long deadline = System.nanoTime() + 10_000_000_000L;
		while (trustRulesInForce() && System.nanoTime() < deadline) {
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		log.warn("The embedded database in {} trusted local connections; it now requires the password kept in {}",
				directory, this.properties.passwordFile());
	}

	private boolean trustRulesInForce() throws SQLException {
		try (Connection connection = connect();
				Statement statement = connection.createStatement();
				ResultSet rows = statement
					.executeQuery("select count(*) from pg_hba_file_rules where auth_method = 'trust'")) {
			rows.next();
			return rows.getLong(1) > 0;
		}
	}

	private static boolean trustsLocalConnections(Path directory) throws IOException {
		Path hba = directory.resolve("pg_hba.conf");
		return Files.exists(hba) && Files.readAllLines(hba, StandardCharsets.UTF_8)
			.stream()
			.anyMatch((line) -> TRUST_RULE.matcher(line).matches());
	}

	/** The password in the file, or a new random one written to it, owner-only. */
	static String readOrCreatePassword(Path file) throws IOException {
		if (!Files.exists(file)) {
			byte[] random = new byte[32];
			new SecureRandom().nextBytes(random);
			String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
			try {
				Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
				Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
				return password;
			}
			catch (FileAlreadyExistsException ex) {
				// made meanwhile by another process: read it
			}
		}
		if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
			Files.setPosixFilePermissions(file, OWNER_ONLY);
		}
		String password = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
		if (password.isEmpty()) {
			throw new IllegalStateException("The embedded database's password file " + file + " is empty.");
		}
		return password;
	}

	@Override
	public void close() throws IOException {
		this.postgres.close();
		if (this.properties.deleteOnStop()) {
			Files.deleteIfExists(this.properties.passwordFile());
		}
	}

}
