package io.rvfeed.feed;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Exports. Each running export holds a database connection for its consistent snapshot,
 * so their number is capped per instance at a share of the connection pool, leaving the
 * rest to the feed and the write API.
 *
 * @param writeDeadline how long a client may take nothing of what was sent before its
 * export is cut off (default 15 s)
 * @param maxDuration the longest an export may run, however steadily it is read (default
 * 1 h)
 * @param maxPerKey most exports running at once with one API key, per instance (default
 * 2)
 * @param maxPerTenant most exports running at once for one tenant, per instance (default
 * 3)
 * @param maxConcurrent most exports running at once on one instance, each holding a
 * connection (default: 40% of the connection pool's maximum size, at least 1: 4 of Boot's
 * default 10, 8 of the embedded database's 20)
 */
@ConfigurationProperties("rvfeed.export")
record ExportProperties(@DefaultValue("15s") Duration writeDeadline, @DefaultValue("1h") Duration maxDuration,
		@DefaultValue("2") int maxPerKey, @DefaultValue("3") int maxPerTenant, @Nullable Integer maxConcurrent) {

	ExportProperties {
		if (writeDeadline.isZero() || writeDeadline.isNegative()) {
			throw new IllegalArgumentException("rvfeed.export.write-deadline must be positive, not " + writeDeadline);
		}
		if (maxDuration.isZero() || maxDuration.isNegative()) {
			throw new IllegalArgumentException("rvfeed.export.max-duration must be positive, not " + maxDuration);
		}
		if (maxPerKey < 1 || maxPerTenant < 1 || (maxConcurrent != null && maxConcurrent < 1)) {
			throw new IllegalArgumentException(
					"rvfeed.export.max-per-key, max-per-tenant and max-concurrent must be at least 1");
		}
	}

	/** The cap on running exports for a connection pool of the given size. */
	int maxConcurrent(int poolSize) {
		return (this.maxConcurrent != null) ? this.maxConcurrent : Math.max(1, poolSize * 2 / 5);
	}

}
