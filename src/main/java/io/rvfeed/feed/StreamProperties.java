package io.rvfeed.feed;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

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
record StreamProperties(@DefaultValue("500ms") Duration pollInterval, @DefaultValue("15s") Duration keepAlive,
		@DefaultValue("500") int batch, @DefaultValue("10s") Duration writeDeadline, @DefaultValue("10") int maxPerKey,
		@DefaultValue("30") int maxPerTenant, @DefaultValue("1000") int maxOpen) {

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
		if (writeDeadline.isZero() || writeDeadline.isNegative()) {
			throw new IllegalArgumentException("rvfeed.stream.write-deadline must be positive, not " + writeDeadline);
		}
		if (maxPerKey < 1 || maxPerTenant < 1 || maxOpen < 1) {
			throw new IllegalArgumentException(
					"rvfeed.stream.max-per-key, max-per-tenant and max-open must be at least 1");
		}
	}

}
