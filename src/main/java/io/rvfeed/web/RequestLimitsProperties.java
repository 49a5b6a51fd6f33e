package io.rvfeed.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on requests. Query strings and declared body sizes are checked before anything
 * else; a body is read only for an authenticated caller, within these bounds. Headers as
 * a whole are limited by {@code server.max-http-request-header-size} (64 KB).
 *
 * @param maxQueryLength the longest query string, in characters as sent (default 8 KB:
 * longer answers 414)
 * @param maxBodySize the largest request body (default 1 MB: larger answers 413)
 * @param bodyTimeout the time the whole body may take to arrive, counted from the end of
 * the headers, however steadily its bytes come (default 10 s: later answers 408)
 * @param maxBodyReads bodies being received at once, all callers together (default 64:
 * more answers 503)
 * @param maxBodyReadsPerTenant bodies being received at once for one tenant (default 16:
 * more answers 429)
 * @param maxBodyReadsPerKey bodies being received at once for one API key (default 8:
 * more answers 429)
 */
@ConfigurationProperties("rvfeed.limits")
record RequestLimitsProperties(@DefaultValue("8KB") DataSize maxQueryLength, @DefaultValue("1MB") DataSize maxBodySize,
		@DefaultValue("10s") Duration bodyTimeout, @DefaultValue("64") int maxBodyReads,
		@DefaultValue("16") int maxBodyReadsPerTenant, @DefaultValue("8") int maxBodyReadsPerKey) {

	RequestLimitsProperties {
		if (bodyTimeout.isNegative() || bodyTimeout.isZero()) {
			throw new IllegalArgumentException("rvfeed.limits.body-timeout must be positive");
		}
		if (maxBodyReads < 1 || maxBodyReadsPerTenant < 1 || maxBodyReadsPerKey < 1) {
			throw new IllegalArgumentException("rvfeed.limits.max-body-reads* must be at least 1");
		}
	}

}
