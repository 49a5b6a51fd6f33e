package io.rvfeed.auth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;

import io.rvfeed.support.ExtraService;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What the api_key table gives away: neither its listing prefix nor its hash lets a key
 * be found by brute force, weak bootstrap keys are refused, keys stored by earlier
 * versions (SHA-256) keep working once converted, and instances must share the secret.
 */
@IntegrationTest
class KeyStorageIT {

	static final String FEED = "/api/v2/rv-activity-feed/?limit=1";

	@Autowired
	HikariDataSource database;

	@Autowired
	ApiKeyRepository keys;

	@Autowired
	TenantRepository tenants;

	@LocalServerPort
	int port;

	@Test
	void aShortChosenKeyCannotBeRecoveredFromTheTable() throws Exception {
		// 16 characters, as a bootstrap key could be: with 12 of them stored as the
		// prefix and an unsalted SHA-256, the 4 others take a moment to find
		UUID tenant = UUID.randomUUID();
		this.tenants.createIfAbsent(tenant, "brute force");
		String key = "rvf_weakkey_" + randomCharacters(4, "0123456789abcdefghijklmnopqrstuvwxyz");
		UUID keyId = this.keys.createChosen(tenant, "bootstrap", EnumSet.allOf(Scope.class), key);
		StoredKey stored = stored(keyId);

		assertThat(bruteForce(stored, key.length())).as("the key, found from its row").isEmpty();
		assertThat(stored.prefix()).as("no character of a chosen key is stored").isEmpty();
		assertThat(stored.hash()).as("no unkeyed hash of the key is stored").isNotEqualTo(sha256(key));
		assertThat(new HttpApi(this.port).get(FEED).key(key).send().status()).isEqualTo(200);
	}

	@Test
	void theBootstrapKeyAndGeneratedKeysLeaveAtLeast128BitsToGuess() throws Exception {
		StoredKey bootstrap = storedByName(UUID.fromString(IntegrationTest.BOOTSTRAP_TENANT), "bootstrap");
		assertThat(bootstrap.prefix()).isEmpty();
		assertThat(bootstrap.hash()).isNotEqualTo(sha256(IntegrationTest.BOOTSTRAP_KEY));

		HttpApi api = new HttpApi(this.port);
		HttpApi.Reply tenant = api.post("/admin/tenants", "{\"name\":\"key storage\"}")
			.key(IntegrationTest.ADMIN_TOKEN)
			.send();
		HttpApi.Reply created = api
			.post("/admin/tenants/" + tenant.json().get("tenant_id").asString() + "/keys",
					"{\"name\":\"generated\",\"scopes\":[\"feed:read\"]}")
			.key(IntegrationTest.ADMIN_TOKEN)
			.send();
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		String key = created.json().get("api_key").asString();
		StoredKey generated = stored(UUID.fromString(created.json().get("key").get("key_id").asString()));
		assertThat(key).startsWith(generated.prefix());
		double bitsLeft = (key.length() - generated.prefix().length()) * Math.log(62) / Math.log(2);
		assertThat(bitsLeft).isGreaterThanOrEqualTo(128);
		assertThat(generated.hash()).isNotEqualTo(sha256(key));
	}

	@Test
	void startUpRefusesAWeakBootstrapKeyOrHashSecret() {
		String weakKey = "rvf_0123456789ab";
		Throwable refused = catchThrowable(() -> startOnSuiteDatabase("--rvfeed.bootstrap.api-key=" + weakKey).close());
		assertThat(refused).as("start-up refused").isNotNull();
		String message = NestedExceptionUtils.getMostSpecificCause(refused).getMessage();
		assertThat(message).contains("RVFEED_BOOTSTRAP_API_KEY").contains("too weak").doesNotContain(weakKey);

		String weakSecret = "12345678901234567890123456789012";
		Throwable refusedSecret = catchThrowable(
				() -> startOnSuiteDatabase("--rvfeed.api-keys.hash-secret=" + weakSecret).close());
		assertThat(refusedSecret).as("start-up refused").isNotNull();
		assertThat(NestedExceptionUtils.getMostSpecificCause(refusedSecret).getMessage())
			.contains("RVFEED_KEY_HASH_SECRET")
			.contains("too weak")
			.doesNotContain(weakSecret);
	}

	@Test
	void keysStoredAsSha256KeepWorkingAndInstancesMustShareTheSecret() throws Exception {
		String name = "rvfeed_legacy_" + UUID.randomUUID().toString().replace("-", "");
		String url = ExtraService.otherDatabase(this.database.getJdbcUrl(), name);
		execute(this.database.getJdbcUrl(), "create database " + name);
		Path secrets = Files.createTempDirectory("rvfeed-secret");
		try {
			// a database as the version before this one left it: V9, keys as SHA-256
			Flyway.configure()
				.dataSource(url, this.database.getUsername(), this.database.getPassword())
				.locations("classpath:db/migration")
				.target("9")
				.load()
				.migrate();
			UUID tenant = UUID.randomUUID();
			String generated = ApiKeys.generate();
			String bootstrap = "rvf_legacy_" + randomCharacters(5, "0123456789abcdefghijklmnopqrstuvwxyz");
			String revoked = ApiKeys.generate();
			try (Connection connection = connect(url)) {
				insertTenant(connection, tenant);
				insertLegacyKey(connection, tenant, "console", generated, false);
				insertLegacyKey(connection, tenant, "bootstrap", bootstrap, false);
				insertLegacyKey(connection, tenant, "old", revoked, true);
			}

			Path secretFile = secrets.resolve("key-hash-secret");
			try (ConfigurableApplicationContext upgraded = startOn(url,
					"--rvfeed.api-keys.hash-secret-file=" + secretFile)) {
				HttpApi api = new HttpApi(ExtraService.port(upgraded));
				assertThat(api.get(FEED).key(generated).send().status()).isEqualTo(200);
				assertThat(api.get(FEED).key(bootstrap).send().status()).isEqualTo(200);
				assertThat(api.get(FEED).key(revoked).send().status()).isEqualTo(401);
				assertThat(api.get(FEED).key(ApiKeys.generate()).send().status()).isEqualTo(401);
			}
			assertThat(Files.getPosixFilePermissions(secretFile))
				.isEqualTo(PosixFilePermissions.fromString("rw-------"));
			assertThat(Files.readString(secretFile, StandardCharsets.UTF_8).strip()).hasSizeGreaterThanOrEqualTo(32);
			try (Connection connection = connect(url)) {
				List<StoredKey> rows = storedKeys(connection, tenant);
				assertThat(rows).hasSize(3);
				for (String key : List.of(generated, bootstrap, revoked)) {
					assertThat(rows).noneMatch((row) -> MessageDigest.isEqual(row.hash(), sha256(key)));
				}
				assertThat(rows).filteredOn((row) -> row.name().equals("bootstrap"))
					.singleElement()
					.satisfies((row) -> assertThat(row.prefix()).isEmpty());
				assertThat(rows).filteredOn((row) -> row.name().equals("console"))
					.singleElement()
					.satisfies((row) -> assertThat(row.prefix()).isEqualTo(generated.substring(0, 12)));
			}

			// the same secret file again: the keys still work
			try (ConfigurableApplicationContext again = startOn(url,
					"--rvfeed.api-keys.hash-secret-file=" + secretFile)) {
				assertThat(new HttpApi(ExtraService.port(again)).get(FEED).key(generated).send().status())
					.isEqualTo(200);
			}
			// another secret: refused at start-up rather than refusing every key
			Throwable refused = catchThrowable(
					() -> startOn(url, "--rvfeed.api-keys.hash-secret-file=" + secrets.resolve("other")).close());
			assertThat(NestedExceptionUtils.getMostSpecificCause(refused).getMessage())
				.contains("not the one this database's API keys are stored under");
		}
		finally {
			execute(this.database.getJdbcUrl(), "drop database if exists " + name + " with (force)");
			try (var files = Files.list(secrets)) {
				for (Path file : files.toList()) {
					Files.delete(file);
				}
			}
			Files.delete(secrets);
		}
	}

	/**
	 * What an attacker holding the row can do without the server's secret: try every
	 * ending of the key after its stored prefix against the stored hash (here: up to 4
	 * unknown characters from [0-9a-z], 1.7 million SHA-256, about a second).
	 */
	private static Optional<String> bruteForce(StoredKey stored, int keyLength) throws Exception {
		String alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
		int unknown = keyLength - stored.prefix().length();
		if (unknown > 4) {
			return Optional.empty();
		}
		MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
		int[] digits = new int[unknown];
		char[] guess = (stored.prefix() + "x".repeat(unknown)).toCharArray();
		long tries = (long) Math.pow(alphabet.length(), unknown);
		for (long n = 0; n < tries; n++) {
			long rest = n;
			for (int i = 0; i < unknown; i++) {
				digits[i] = (int) (rest % alphabet.length());
				rest /= alphabet.length();
				guess[stored.prefix().length() + i] = alphabet.charAt(digits[i]);
			}
			byte[] hash = sha256.digest(new String(guess).getBytes(StandardCharsets.UTF_8));
			if (MessageDigest.isEqual(hash, stored.hash())) {
				return Optional.of(new String(guess));
			}
		}
		return Optional.empty();
	}

	/**
	 * Random characters, so that keys differ from run to run on a database kept between
	 * runs.
	 */
	private static String randomCharacters(int count, String alphabet) {
		java.security.SecureRandom random = new java.security.SecureRandom();
		StringBuilder characters = new StringBuilder();
		for (int i = 0; i < count; i++) {
			characters.append(alphabet.charAt(random.nextInt(alphabet.length())));
		}
		return characters.toString();
	}

	private ConfigurableApplicationContext startOnSuiteDatabase(String... args) {
		return startOn(this.database.getJdbcUrl(), args);
	}

	private ConfigurableApplicationContext startOn(String url, String... more) {
		List<String> args = new ArrayList<>(ExtraService.database(this.database, url));
		args.addAll(List.of(more));
		return ExtraService.start(args);
	}

	private StoredKey stored(UUID keyId) throws SQLException {
		try (Connection connection = this.database.getConnection();
				PreparedStatement select = connection
					.prepareStatement("select name, prefix, key_hash from api_key where key_id = ?")) {
			select.setObject(1, keyId);
			try (ResultSet row = select.executeQuery()) {
				assertThat(row.next()).isTrue();
				return new StoredKey(row.getString(1), row.getString(2), row.getBytes(3));
			}
		}
	}

	private StoredKey storedByName(UUID tenant, String name) throws SQLException {
		try (Connection connection = this.database.getConnection()) {
			return storedKeys(connection, tenant).stream().filter((row) -> row.name().equals(name)).findFirst().get();
		}
	}

	private static List<StoredKey> storedKeys(Connection connection, UUID tenant) throws SQLException {
		try (PreparedStatement select = connection
			.prepareStatement("select name, prefix, key_hash from api_key where tenant_id = ?")) {
			select.setObject(1, tenant);
			List<StoredKey> rows = new ArrayList<>();
			try (ResultSet row = select.executeQuery()) {
				while (row.next()) {
					rows.add(new StoredKey(row.getString(1), row.getString(2), row.getBytes(3)));
				}
			}
			return rows;
		}
	}

	private static void insertTenant(Connection connection, UUID tenant) throws SQLException {
		try (PreparedStatement insert = connection
			.prepareStatement("insert into tenant (tenant_id, name) values (?, 'legacy')")) {
			insert.setObject(1, tenant);
			insert.executeUpdate();
		}
	}

	/** A key as versions up to V9 stored it: 12 characters and its SHA-256. */
	private static void insertLegacyKey(Connection connection, UUID tenant, String name, String key, boolean revoked)
			throws SQLException {
		try (PreparedStatement insert = connection
			.prepareStatement("insert into api_key (tenant_id, key_id, name, prefix, key_hash, scopes, revoked_at) "
					+ "values (?, ?, ?, ?, ?, array['feed:read','sessions:write'], " + (revoked ? "now()" : "null")
					+ ")")) {
			insert.setObject(1, tenant);
			insert.setObject(2, UUID.randomUUID());
			insert.setString(3, name);
			insert.setString(4, key.substring(0, 12));
			insert.setBytes(5, sha256(key));
			insert.executeUpdate();
		}
	}

	private void execute(String url, String sql) throws SQLException {
		try (Connection connection = connect(url); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private Connection connect(String url) throws SQLException {
		Properties login = new Properties();
		if (this.database.getUsername() != null) {
			login.setProperty("user", this.database.getUsername());
		}
		if (this.database.getPassword() != null) {
			login.setProperty("password", this.database.getPassword());
		}
		return DriverManager.getConnection(url, login);
	}

	private static byte[] sha256(String key) {
		return ApiKeys.sha256(key);
	}

	record StoredKey(String name, String prefix, byte[] hash) {
	}

}
