package io.rvfeed.db;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

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
record EmbeddedDatabaseProperties(@DefaultValue("data/postgres") Path dataDirectory, int port, boolean deleteOnStop) {

	EmbeddedDatabaseProperties {
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException("rvfeed.embedded-db.port must be from 0 to 65535, not " + port);
		}
	}

}
