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
		if (maxQueryLength.toBytes() < 1) {
			throw new IllegalArgumentException(
					"rvfeed.limits.max-query-length must be positive, not " + maxQueryLength);
		}
		// bodies are read into memory up to this size
		if (maxBodySize.toBytes() < 1 || maxBodySize.toBytes() >= Integer.MAX_VALUE) {
			throw new IllegalArgumentException(
					"rvfeed.limits.max-body-size must be from 1B to under 2GB, not " + maxBodySize);
		}
		if (bodyTimeout.isNegative() || bodyTimeout.isZero()) {
			throw new IllegalArgumentException("rvfeed.limits.body-timeout must be positive, not " + bodyTimeout);
		}
		if (maxBodyReads < 1 || maxBodyReadsPerTenant < 1 || maxBodyReadsPerKey < 1) {
			throw new IllegalArgumentException(
					"rvfeed.limits.max-body-reads, -per-tenant and -per-key must be at least 1");
		}
	}
}
