package io.rvfeed.db;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

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
public record EmbeddedDatabaseProperties(@Nullable Path dataDirectory, int port, boolean deleteOnStop,
		boolean nonDurableForTests) {

	public EmbeddedDatabaseProperties {
		if (dataDirectory == null) {
			dataDirectory = Path.of("data", "postgres");
		}
	}

	/** The defaults: {@code ./data/postgres}, any free port, durable. */
	public static EmbeddedDatabaseProperties defaults() {
		return new EmbeddedDatabaseProperties(null, 0, false, false);
	}

	/** Where the superuser's generated password is kept (readable by its owner only). */
	public Path passwordFile() {
		Path directory = dataDirectory().toAbsolutePath().normalize();
		return directory.resolveSibling(directory.getFileName() + ".password");
	}

}
