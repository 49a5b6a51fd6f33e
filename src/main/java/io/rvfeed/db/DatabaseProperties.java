package io.rvfeed.db;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the service watches its PostgreSQL.
 *
 * @param checkInterval how often the database is checked, and how often a service that
 * started without it tries again to reach and migrate it (default 1 s)
 * @param checkTimeout how long one check may take before the database counts as
 * unreachable (default 2 s)
 */
@ConfigurationProperties("rvfeed.database")
public record DatabaseProperties(@DefaultValue("1s") Duration checkInterval,
		@DefaultValue("2s") Duration checkTimeout) {

	public DatabaseProperties {
		if (checkInterval.isNegative() || checkInterval.isZero()) {
			throw new IllegalArgumentException("rvfeed.database.check-interval must be positive");
		}
		if (checkTimeout.toMillis() < 1000) {
			throw new IllegalArgumentException("rvfeed.database.check-timeout must be at least 1s");
		}
	}

}
