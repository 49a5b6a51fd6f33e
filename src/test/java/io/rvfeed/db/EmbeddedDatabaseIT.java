package io.rvfeed.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.rvfeed.RvFeedApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded database as the service starts it by default: durable, on 127.0.0.1 only,
 * and closed to connections without its generated password.
 */
class EmbeddedDatabaseIT {

	@TempDir
	Path data;

	@Test
	void theDefaultConfigurationIsDurableAndPrivate() throws Exception {
		Path directory = this.data.resolve("postgres");
		// the database as `java -jar rv-feed.jar` runs it, in another directory (an empty
		// datasource url overrides a SPRING_DATASOURCE_URL the test run may have; the
		// demo data is left out for speed)
		try (ConfigurableApplicationContext service = new SpringApplicationBuilder(RvFeedApplication.class)
			.web(WebApplicationType.NONE)
			.run("--rvfeed.embedded-db.data-directory=" + directory, "--spring.datasource.url=",
					"--rvfeed.demo.enabled=false")) {
			DataSource dataSource = service.getBean(DataSource.class);
			try (Connection connection = dataSource.getConnection()) {
				assertThat(show(connection, "fsync")).isEqualTo("on");
				assertThat(show(connection, "synchronous_commit")).isEqualTo("on");
				assertThat(show(connection, "full_page_writes")).isEqualTo("on");
				assertThat(show(connection, "listen_addresses")).isEqualTo("127.0.0.1");
				assertThat(show(connection, "unix_socket_directories")).isEmpty();
				assertThat(show(connection, "password_encryption")).isEqualTo("scram-sha-256");
			}
			EmbeddedDatabase database = service.getBean(EmbeddedDatabase.class);
			Path passwordFile = this.data.resolve("postgres.password");
			assertThat(Files.getPosixFilePermissions(passwordFile))
				.isEqualTo(PosixFilePermissions.fromString("rw-------"));
			assertThat(Files.readString(passwordFile).strip()).isEqualTo(database.password()).hasSizeGreaterThan(40);

			assertRefused(database.port(), null);
			assertRefused(database.port(), "postgres");
			assertRefused(database.port(), database.password() + "x");
			try (Connection connection = connect(database.port(), database.password())) {
				assertThat(show(connection, "fsync")).isEqualTo("on");
			}
		}
	}

	@Test
	void aDataDirectoryThatTrustedLocalConnectionsGetsAPassword() throws Exception {
		Path directory = this.data.resolve("old");
		// as earlier versions made it: the library's defaults, trusting 127.0.0.1 and ::1
		try (EmbeddedPostgres old = EmbeddedPostgres.builder()
			.setDataDirectory(directory)
			.setCleanDataDirectory(false)
			.start(); Connection connection = old.getPostgresDatabase().getConnection()) {
			connection.createStatement().execute("create table kept (id int); insert into kept values (42)");
		}
		EmbeddedDatabaseProperties properties = new EmbeddedDatabaseProperties(directory, 0, false, true);
		try (EmbeddedDatabase database = EmbeddedDatabase.start(properties)) {
			assertRefused(database.port(), null);
			try (Connection connection = database.connect();
					Statement statement = connection.createStatement();
					ResultSet rows = statement.executeQuery("select id from kept")) {
				rows.next();
				assertThat(rows.getInt(1)).isEqualTo(42);
			}
			assertThat(Files.readString(directory.resolve("pg_hba.conf")))
				.doesNotContainPattern("(?m)^[^#\\n]*\\strust\\s*$");
		}
	}

	@Test
	void aMissingPasswordFileIsToldPlainly() throws Exception {
		Path directory = this.data.resolve("lost");
		EmbeddedDatabaseProperties properties = new EmbeddedDatabaseProperties(directory, 0, false, true);
		EmbeddedDatabase.start(properties).close();
		Files.delete(properties.passwordFile());
		assertThatThrownBy(() -> EmbeddedDatabase.start(properties)).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("password file")
			.hasMessageContaining("missing");
	}

	private static void assertRefused(int port, String password) {
		assertThatThrownBy(() -> connect(port, password).close()).isInstanceOf(SQLException.class)
			.satisfies((ex) -> assertThat(((SQLException) ex).getSQLState()).isIn("28P01", "08004"));
	}

	private static Connection connect(int port, String password) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", "postgres");
		if (password != null) {
			properties.setProperty("password", password);
		}
		properties.setProperty("connectTimeout", "5");
		properties.setProperty("ApplicationName", "rvfeed-test-" + UUID.randomUUID());
		return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", properties);
	}

	private static String show(Connection connection, String setting) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("show " + setting)) {
			rows.next();
			return rows.getString(1);
		}
	}

}
