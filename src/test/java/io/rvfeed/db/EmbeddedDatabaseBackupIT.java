package io.rvfeed.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rvfeed.cli.RvFeedCommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar rv-feed.jar backup --to FILE} and {@code restore --from FILE}: what
 * was committed before the backup is there after the restore, with the same password.
 */
class EmbeddedDatabaseBackupIT {

	@TempDir
	Path temp;

	@Test
	void aBackupRestoresWhatWasCommitted() throws Exception {
		Path original = this.temp.resolve("data").resolve("postgres");
		Path backup = this.temp.resolve("rv-feed-backup.zip");
		String setting = "--rvfeed.embedded-db.data-directory=" + original;
		String password;
		try (EmbeddedDatabase database = EmbeddedDatabase.start(properties(original))) {
			password = database.password();
			try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
				statement.execute("create table audit (id int primary key, what text)");
				statement.execute("insert into audit select g, 'event ' || g from generate_series(1, 1000) g");
			}
			// a running database is not copied
			assertThat(RvFeedCommandLine.execute("backup", "--to", backup.toString(), setting)).isEqualTo(1);
			assertThat(backup).doesNotExist();
		}
		assertThat(RvFeedCommandLine.execute("backup", "--to", backup.toString(), setting)).isZero();
		assertThat(backup).isRegularFile();
		// never over an existing file
		assertThat(RvFeedCommandLine.execute("backup", "--to", backup.toString(), setting)).isEqualTo(1);

		Path restored = this.temp.resolve("elsewhere").resolve("postgres");
		String restoredSetting = "--rvfeed.embedded-db.data-directory=" + restored;
		assertThat(RvFeedCommandLine.execute("restore", "--from", backup.toString(), restoredSetting)).isZero();
		assertThat(Files.getPosixFilePermissions(restored)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
		assertThat(Files.getPosixFilePermissions(properties(restored).passwordFile()))
			.isEqualTo(PosixFilePermissions.fromString("rw-------"));
		try (EmbeddedDatabase database = EmbeddedDatabase.start(properties(restored));
				Connection connection = database.connect();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("select count(*), max(what) from audit")) {
			assertThat(database.password()).isEqualTo(password);
			rows.next();
			assertThat(rows.getInt(1)).isEqualTo(1000);
			assertThat(rows.getString(2)).isEqualTo("event 999");
		}
		// never over a database
		assertThat(RvFeedCommandLine.execute("restore", "--from", backup.toString(), restoredSetting)).isEqualTo(1);
	}

	private static EmbeddedDatabaseProperties properties(Path directory) {
		return new EmbeddedDatabaseProperties(directory, 0, false, true);
	}

}
