package io.rvfeed.feed;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

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
record ExportProperties(@Nullable Duration writeDeadline, @Nullable Duration maxDuration, @Nullable Integer maxPerKey,
		@Nullable Integer maxPerTenant, @Nullable Integer maxConcurrent) {

	ExportProperties {
		writeDeadline = (writeDeadline != null) ? writeDeadline : Duration.ofSeconds(15);
		maxDuration = (maxDuration != null) ? maxDuration : Duration.ofHours(1);
		maxPerKey = (maxPerKey != null) ? maxPerKey : 2;
		maxPerTenant = (maxPerTenant != null) ? maxPerTenant : 3;
	}

	/** The cap on running exports for a connection pool of the given size. */
	int maxConcurrent(int poolSize) {
		return (this.maxConcurrent != null) ? this.maxConcurrent : Math.max(1, poolSize * 2 / 5);
	}

}
