package io.rvfeed.db;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded PostgreSQL that serves when no {@code SPRING_DATASOURCE_URL} is set.
 *
 * @param dataDirectory where its files live; they survive restarts (default
 * {@code ./data/postgres}). Its password is kept beside it, in
 * {@code <dataDirectory>.password} (default {@code ./data/postgres.password})
 * @param port the port it listens on at 127.0.0.1, 0 for any free port (default 0)
 * @param deleteOnStop remove the data directory and the password file when the service
 * stops; for tests (default false)
 * @param nonDurableForTests run with {@code fsync}, {@code synchronous_commit} and
 * {@code full_page_writes} off, which loses committed data on a power loss or crash; for
 * tests only (default false: durable, and checked at start-up)
 */
@ConfigurationProperties("rvfeed.embedded-db")
public record EmbeddedDatabaseProperties(@DefaultValue("data/postgres") Path dataDirectory, int port,
		boolean deleteOnStop, boolean nonDurableForTests) {

	public EmbeddedDatabaseProperties {
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException("rvfeed.embedded-db.port must be from 0 to 65535, not " + port);
		}
	}

	/** The defaults: {@code ./data/postgres}, any free port, durable. */
	public static EmbeddedDatabaseProperties defaults() {
		return new EmbeddedDatabaseProperties(Path.of("data", "postgres"), 0, false, false);
	}

	/** Where the superuser's generated password is kept (readable by its owner only). */
	public Path passwordFile() {
		Path directory = dataDirectory().toAbsolutePath().normalize();
		return directory.resolveSibling(directory.getFileName() + ".password");
	}

}
