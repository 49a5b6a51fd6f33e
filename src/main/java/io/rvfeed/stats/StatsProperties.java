package io.rvfeed.stats;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the statistics endpoint bounds its work.
 *
 * @param queryTimeout a statistics statement still running after this long is cancelled
 * and answered 503 (default 30s): one request cannot hold a connection and a core for
 * longer
 */
@ConfigurationProperties("rvfeed.stats")
record StatsProperties(@DefaultValue("30s") Duration queryTimeout) {

	StatsProperties {
		if (queryTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException("rvfeed.stats.query-timeout must be at least 1s, not " + queryTimeout);
		}
	}

}
