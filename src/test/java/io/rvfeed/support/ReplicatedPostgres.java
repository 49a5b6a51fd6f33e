package io.rvfeed.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL primary and a streaming replica of it, started by a test on two free
 * ports from the machine's PostgreSQL binaries ({@code initdb}, {@code pg_ctl},
 * {@code pg_basebackup -R}; {@code /usr/lib/postgresql/15/bin}, or
 * {@code RVFEED_TEST_PG_BIN}), with their data under {@code target/} (as root: under the
 * temporary directory, reachable by the {@code postgres} user), removed on
 * {@link #close()}. PostgreSQL refuses to run as root: under root (CI) the servers run as
 * the {@code postgres} OS user through {@code runuser}. Both trust local connections on
 * 127.0.0.1 only, as user {@code postgres}.
 */
public final class ReplicatedPostgres implements AutoCloseable {

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

	private final Path bin;

	private final Path root;

	private final boolean asPostgresUser;

	private final int primaryPort;

	private final int replicaPort;

	private ReplicatedPostgres(Path bin, Path root, boolean asPostgresUser, int primaryPort, int replicaPort) {
		this.bin = bin;
		this.root = root;
		this.asPostgresUser = asPostgresUser;
		this.primaryPort = primaryPort;
		this.replicaPort = replicaPort;
	}

	/**
	 * Starts a primary, takes a base backup of it and starts that as its streaming
	 * replica.
	 */
	public static ReplicatedPostgres start() throws IOException, InterruptedException, SQLException {
		Path bin = Path.of(System.getenv().getOrDefault("RVFEED_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"));
		if (!Files.isExecutable(bin.resolve("pg_basebackup"))) {
			throw new IllegalStateException("The replica tests need PostgreSQL's server binaries (initdb, pg_ctl, "
					+ "pg_basebackup) in " + bin + " (apt-get install postgresql-15), or RVFEED_TEST_PG_BIN");
		}
		boolean asPostgresUser = "root".equals(System.getProperty("user.name"));
		// as root the servers run as postgres, who must reach their directory: a checkout
		// may lie in a directory only root can enter (CI's mktemp -d), /tmp never does
		Path root = asPostgresUser ? Files.createTempDirectory("rvfeed-replication-")
				: Path.of("target", "replication-" + UUID.randomUUID()).toAbsolutePath();
		Files.createDirectories(root);
		if (asPostgresUser) {
			UserPrincipal postgres = root.getFileSystem()
				.getUserPrincipalLookupService()
				.lookupPrincipalByName("postgres");
			Files.setOwner(root, postgres);
		}
		ReplicatedPostgres servers = new ReplicatedPostgres(bin, root, asPostgresUser, freePort(), freePort());
		try {
			servers.startPrimary();
			servers.createReplica();
			return servers;
		}
		catch (IOException | InterruptedException | SQLException | RuntimeException ex) {
			servers.close();
			throw ex;
		}
	}

	public String primaryUrl() {
		return "jdbc:postgresql://127.0.0.1:" + this.primaryPort + "/postgres";
	}

	public String replicaUrl() {
		return "jdbc:postgresql://127.0.0.1:" + this.replicaPort + "/postgres";
	}

	/**
	 * The replica keeps receiving WAL but applies none of it until
	 * {@link #resumeReplay()}.
	 */
	public void pauseReplay() throws SQLException {
		try (Connection connection = connect(this.replicaPort); Statement statement = connection.createStatement()) {
			statement.execute("select pg_wal_replay_pause()");
		}
	}

	public void resumeReplay() throws SQLException {
		try (Connection connection = connect(this.replicaPort); Statement statement = connection.createStatement()) {
			statement.execute("select pg_wal_replay_resume()");
		}
	}

	/** Waits until the replica has replayed everything the primary has written so far. */
	public void awaitReplayed() throws SQLException, InterruptedException {
		String target = query(this.primaryPort, "select pg_current_wal_insert_lsn()::text");
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (!"t".equals(query(this.replicaPort, "select pg_last_wal_replay_lsn() >= '" + target + "'::pg_lsn"))) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The replica did not replay " + target + " within 60 s");
			}
			Thread.sleep(50);
		}
	}

	/** Stops the replica at once (as a crash or a network cut would look to a client). */
	public void stopReplica() throws IOException, InterruptedException {
		run(List.of(pg("pg_ctl"), "-D", dir("replica"), "-m", "immediate", "-w", "stop"));
	}

	public void startReplica() throws IOException, InterruptedException, SQLException {
		run(List.of(pg("pg_ctl"), "-D", dir("replica"), "-l", dir("replica.log"), "-w", "-t", "60", "start"));
		awaitConnections(this.replicaPort);
	}

	private void startPrimary() throws IOException, InterruptedException, SQLException {
		run(List.of(pg("initdb"), "-D", dir("primary"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C",
				"--no-sync"));
		Files.writeString(this.root.resolve("primary").resolve("postgresql.conf"),
				String.join("\n", "", "listen_addresses = '127.0.0.1'", "port = " + this.primaryPort,
						"unix_socket_directories = '" + this.root + "'", "wal_level = replica", "max_wal_senders = 5",
						"fsync = off", "max_connections = 60", "shared_buffers = 32MB", ""),
				StandardOpenOption.APPEND);
		run(List.of(pg("pg_ctl"), "-D", dir("primary"), "-l", dir("primary.log"), "-w", "-t", "60", "start"));
		awaitConnections(this.primaryPort);
	}

	private void createReplica() throws IOException, InterruptedException, SQLException {
		run(List.of(pg("pg_basebackup"), "-h", "127.0.0.1", "-p", Integer.toString(this.primaryPort), "-U", "postgres",
				"-D", dir("replica"), "-R", "-X", "stream", "--checkpoint=fast", "--no-sync"));
		Files.writeString(this.root.resolve("replica").resolve("postgresql.conf"),
				String.join("\n", "", "port = " + this.replicaPort, "hot_standby = on", "hot_standby_feedback = on",
						"max_standby_streaming_delay = -1", ""),
				StandardOpenOption.APPEND);
		startReplica();
	}

	private void awaitConnections(int port) throws InterruptedException, SQLException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (true) {
			try (Connection connection = connect(port)) {
				return;
			}
			catch (SQLException ex) {
				if (System.nanoTime() > deadline) {
					throw ex;
				}
				Thread.sleep(100);
			}
		}
	}

	private static Connection connect(int port) throws SQLException {
		Properties login = new Properties();
		login.setProperty("user", "postgres");
		login.setProperty("connectTimeout", "5");
		return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", login);
	}

	private static String query(int port, String sql) throws SQLException {
		try (Connection connection = connect(port);
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(sql)) {
			rows.next();
			return rows.getString(1);
		}
	}

	private String pg(String program) {
		return this.bin.resolve(program).toString();
	}

	private String dir(String name) {
		return this.root.resolve(name).toString();
	}

	private void run(List<String> command) throws IOException, InterruptedException {
		List<String> full = new ArrayList<>();
		if (this.asPostgresUser) {
			full.addAll(List.of("runuser", "-u", "postgres", "--"));
		}
		full.addAll(command);
		ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
		Map<String, String> environment = builder.environment();
		// nothing from the test run's own database settings
		environment.keySet().removeIf((name) -> name.startsWith("PG") || name.startsWith("SPRING_DATASOURCE"));
		// pg_ctl's server keeps the output file open: the log goes to a file, not a pipe
		Path output = Files.createTempFile(this.root, "command", ".log");
		builder.redirectOutput(output.toFile());
		Process process = builder.start();
		if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("Timed out: " + String.join(" ", full));
		}
		if (process.exitValue() != 0) {
			throw new IllegalStateException("Failed (" + process.exitValue() + "): " + String.join(" ", full) + "\n"
					+ Files.readString(output, StandardCharsets.UTF_8) + logs());
		}
	}

	private String logs() throws IOException {
		StringBuilder text = new StringBuilder();
		for (String log : List.of("primary.log", "replica.log")) {
			Path file = this.root.resolve(log);
			if (Files.exists(file)) {
				text.append("\n--- ").append(log).append('\n').append(Files.readString(file, StandardCharsets.UTF_8));
			}
		}
		return text.toString();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/** Stops both servers and removes their files. */
	@Override
	public void close() throws IOException, InterruptedException {
		for (String server : List.of("replica", "primary")) {
			if (Files.exists(this.root.resolve(server).resolve("postmaster.pid"))) {
				try {
					run(List.of(pg("pg_ctl"), "-D", dir(server), "-m", "immediate", "-w", "stop"));
				}
				catch (IllegalStateException ex) {
					// already stopped
				}
			}
		}
		try (Stream<Path> files = Files.walk(this.root)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
	}

}
