package io.rvfeed.feed;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How open streams and running exports learn that their API key was revoked or rotated
 * (through any instance: the check reads the database).
 *
 * @param checkInterval how often each instance checks the keys behind its open streams
 * and exports (default 2 s)
 */
@ConfigurationProperties("rvfeed.revocation")
record RevocationProperties(@DefaultValue("2s") Duration checkInterval) {

	RevocationProperties {
		if (checkInterval.isZero() || checkInterval.isNegative()) {
			throw new IllegalArgumentException(
					"rvfeed.revocation.check-interval must be positive, not " + checkInterval);
		}
	}

}
