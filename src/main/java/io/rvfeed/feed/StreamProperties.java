package io.rvfeed.feed;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Live feed streams.
 *
 * @param pollInterval how often each stream looks for new changes (default 500 ms)
 * @param keepAlive how long a quiet stream waits before sending a comment to keep proxies
 * from closing it (default 15 s)
 * @param batch most changes sent per stream per poll (default 500)
 */
@ConfigurationProperties("rvfeed.stream")
record StreamProperties(@DefaultValue("500ms") Duration pollInterval, @DefaultValue("15s") Duration keepAlive,
		@DefaultValue("500") int batch) {

	StreamProperties {
		if (pollInterval.isZero() || pollInterval.isNegative()) {
			throw new IllegalArgumentException("rvfeed.stream.poll-interval must be positive, not " + pollInterval);
		}
		if (keepAlive.isZero() || keepAlive.isNegative()) {
			throw new IllegalArgumentException("rvfeed.stream.keep-alive must be positive, not " + keepAlive);
		}
		if (batch < 1) {
			throw new IllegalArgumentException("rvfeed.stream.batch must be at least 1, not " + batch);
		}
	}

}
