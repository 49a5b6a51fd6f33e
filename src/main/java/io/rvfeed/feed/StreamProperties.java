package io.rvfeed.feed;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Live feed streams.
 *
 * @param pollInterval how often each tenant's streams look for new changes (default 500
 * ms)
 * @param keepAlive how long a quiet stream waits before sending a comment to keep proxies
 * from closing it (default 15 s)
 * @param batch most changes read per tenant per poll (default 500)
 * @param writeDeadline how long a client may take nothing of what was sent before its
 * stream is disconnected; it resumes with {@code Last-Event-ID} (default 10 s)
 * @param maxPerKey most streams open at once with one API key, per instance (default 10)
 * @param maxPerTenant most streams open at once for one tenant, per instance (default 30)
 * @param maxOpen most streams open at once on one instance (default 1000)
 */
@ConfigurationProperties("rvfeed.stream")
record StreamProperties(@Nullable Duration pollInterval, @Nullable Duration keepAlive, @Nullable Integer batch,
		@Nullable Duration writeDeadline, @Nullable Integer maxPerKey, @Nullable Integer maxPerTenant,
		@Nullable Integer maxOpen) {

	StreamProperties {
		pollInterval = (pollInterval != null) ? pollInterval : Duration.ofMillis(500);
		keepAlive = (keepAlive != null) ? keepAlive : Duration.ofSeconds(15);
		batch = (batch != null) ? batch : 500;
		writeDeadline = (writeDeadline != null) ? writeDeadline : Duration.ofSeconds(10);
		maxPerKey = (maxPerKey != null) ? maxPerKey : 10;
		maxPerTenant = (maxPerTenant != null) ? maxPerTenant : 30;
		maxOpen = (maxOpen != null) ? maxOpen : 1000;
	}

}
