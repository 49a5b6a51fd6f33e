package io.rvfeed.db;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The embedded PostgreSQL that serves when no {@code SPRING_DATASOURCE_URL} is set.
 *
 * @param dataDirectory where its files live; they survive restarts (default
 * {@code ./data/postgres})
 * @param port the port it listens on, 0 for any free port (default 0)
 * @param deleteOnStop remove the data directory when the service stops; for tests
 * (default false)
 */
@ConfigurationProperties("rvfeed.embedded-db")
record EmbeddedDatabaseProperties(@Nullable Path dataDirectory, int port, boolean deleteOnStop) {

	EmbeddedDatabaseProperties {
		if (dataDirectory == null) {
			dataDirectory = Path.of("data", "postgres");
		}
	}

}
