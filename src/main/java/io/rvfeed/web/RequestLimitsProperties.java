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
}
