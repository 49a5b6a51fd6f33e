package io.rvfeed.ratelimit;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;

/**
 * The outcome of one request against its key's bucket, and the headers that tell the
 * client about it.
 *
 * @param allowed whether the request may proceed
 * @param limit the bucket it was counted against
 * @param remaining requests left in the bucket now
 * @param resetSeconds seconds until the bucket is full again
 * @param retryAfterSeconds when refused: seconds until one request is allowed again
 */
public record RateLimitDecision(boolean allowed, RateLimit limit, long remaining, long resetSeconds,
		long retryAfterSeconds) {

	public static final String LIMIT = "RateLimit-Limit";

	public static final String REMAINING = "RateLimit-Remaining";

	public static final String RESET = "RateLimit-Reset";

	public void writeHeaders(HttpServletResponse response) {
		response.setHeader(LIMIT, Long.toString(this.limit.burst()));
		response.setHeader(REMAINING, Long.toString(this.remaining));
		response.setHeader(RESET, Long.toString(this.resetSeconds));
		if (!this.allowed) {
			response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(this.retryAfterSeconds));
		}
	}

}
