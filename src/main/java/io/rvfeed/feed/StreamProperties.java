package io.rvfeed.feed;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Live feed streams.
 *
 * @param pollInterval how often each stream looks for new changes (default 500 ms)
 * @param keepAlive how long a quiet stream waits before sending a comment to keep proxies
 * from closing it (default 15 s)
 * @param batch most changes sent per stream per poll (default 500)
 */
@ConfigurationProperties("rvfeed.stream")
record StreamProperties(@Nullable Duration pollInterval, @Nullable Duration keepAlive, @Nullable Integer batch) {

	StreamProperties {
		pollInterval = (pollInterval != null) ? pollInterval : Duration.ofMillis(500);
		keepAlive = (keepAlive != null) ? keepAlive : Duration.ofSeconds(15);
		batch = (batch != null) ? batch : 500;
	}

}
