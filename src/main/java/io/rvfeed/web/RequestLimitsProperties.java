package io.rvfeed.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on the size of requests, checked before anything else. Headers as a whole are
 * limited by {@code server.max-http-request-header-size} (64 KB).
 *
 * @param maxQueryLength the longest query string, in characters as sent (default 8 KB:
 * longer answers 414)
 * @param maxBodySize the largest request body (default 1 MB: larger answers 413)
 */
@ConfigurationProperties("rvfeed.limits")
record RequestLimitsProperties(@DefaultValue("8KB") DataSize maxQueryLength,
		@DefaultValue("1MB") DataSize maxBodySize) {

	RequestLimitsProperties {
		if (maxQueryLength.toBytes() < 1) {
			throw new IllegalArgumentException(
					"rvfeed.limits.max-query-length must be positive, not " + maxQueryLength);
		}
		// the filter reads a body of unknown length into memory up to this size
		if (maxBodySize.toBytes() < 1 || maxBodySize.toBytes() >= Integer.MAX_VALUE) {
			throw new IllegalArgumentException(
					"rvfeed.limits.max-body-size must be from 1B to under 2GB, not " + maxBodySize);
		}
	}
}
