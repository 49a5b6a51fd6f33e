package io.rvfeed.feed;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param compactInterval how often the count deltas are folded into the counts (default 1
 * s)
 */
@ConfigurationProperties("rvfeed.feed-counts")
record FeedCountsProperties(@Nullable Duration compactInterval) {

	FeedCountsProperties {
		if (compactInterval == null || compactInterval.isZero() || compactInterval.isNegative()) {
			compactInterval = Duration.ofSeconds(1);
		}
	}

}
