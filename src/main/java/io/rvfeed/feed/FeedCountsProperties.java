package io.rvfeed.feed;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The counts kept on write (V4, V7).
 *
 * @param compactInterval how often the count deltas are folded into the counts (default
 * 1s)
 */
@ConfigurationProperties("rvfeed.feed-counts")
record FeedCountsProperties(@DefaultValue("1s") Duration compactInterval) {

	FeedCountsProperties {
		if (compactInterval.isZero() || compactInterval.isNegative()) {
			throw new IllegalArgumentException(
					"rvfeed.feed-counts.compact-interval must be positive, not " + compactInterval);
		}
	}

}
