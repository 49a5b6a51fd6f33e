package io.rvfeed.feed;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How open streams and running exports learn that their API key was revoked or rotated
 * (through any instance: the check reads the database).
 *
 * @param checkInterval how often each instance checks the keys behind its open streams
 * and exports (default 2 s)
 */
@ConfigurationProperties("rvfeed.revocation")
record RevocationProperties(@Nullable Duration checkInterval) {

	RevocationProperties {
		checkInterval = (checkInterval != null) ? checkInterval : Duration.ofSeconds(2);
	}

}
