package io.rvfeed.stats;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the statistics endpoint bounds its work. A statistics statement reads every
 * matching row (seconds on a tenant of millions), so few run at once and each for a
 * bounded time.
 *
 * @param queryTimeout a statistics statement still running after this long is cancelled
 * and answered 503 (default 30s): one request cannot hold a connection and a core for
 * longer
 * @param maxConcurrent statistics statements running at once on one instance, each
 * holding a connection (default 4)
 * @param maxPerTenant statistics statements running at once per tenant on one instance
 * (default 2), so one tenant's dashboard cannot take them all
 * @param queueTimeout how long a request waits for its turn before it is answered 429
 * with {@code Retry-After} (default 10s); a waiting request holds no connection
 * @param compactInterval how often the statistics deltas are folded into the kept cells
 * (default 1s); reads add the deltas not folded yet, so this bounds their work, not their
 * freshness
 * @param keptCells statistics cells kept in memory on one instance, to be used again
 * while their tenant's cells are unchanged (default 200000, about 20 MB; 0 keeps none): a
 * zone's days over 13 months are some 18,000
 */
@ConfigurationProperties("rvfeed.stats")
record StatsProperties(@DefaultValue("30s") Duration queryTimeout, @DefaultValue("4") int maxConcurrent,
		@DefaultValue("2") int maxPerTenant, @DefaultValue("10s") Duration queueTimeout,
		@DefaultValue("1s") Duration compactInterval, @DefaultValue("200000") long keptCells) {

	StatsProperties {
		if (queryTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException("rvfeed.stats.query-timeout must be at least 1s, not " + queryTimeout);
		}
		if (maxConcurrent < 1 || maxPerTenant < 1) {
			throw new IllegalArgumentException("rvfeed.stats.max-concurrent and max-per-tenant must be at least 1");
		}
		if (compactInterval.compareTo(Duration.ofMillis(10)) < 0) {
			throw new IllegalArgumentException(
					"rvfeed.stats.compact-interval must be at least 10ms, not " + compactInterval);
		}
		if (keptCells < 0) {
			throw new IllegalArgumentException("rvfeed.stats.kept-cells must not be negative, not " + keptCells);
		}
		if (queueTimeout.isNegative()) {
			throw new IllegalArgumentException("rvfeed.stats.queue-timeout must not be negative");
		}
	}

}
