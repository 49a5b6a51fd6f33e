package io.rvfeed.ratelimit;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Rate limiting of the {@code /api/} endpoints per API key: a token bucket per key. A key
 * may carry its own limit, set through the admin API or the command line.
 *
 * @param requestsPerSecond sustained requests per second per key
 * ({@code RVFEED_RATE_LIMIT_REQUESTS_PER_SECOND}, default 20)
 * @param burst requests a key may make at once (the bucket's size)
 * ({@code RVFEED_RATE_LIMIT_BURST}, default 40)
 * @param redisUrl where buckets are kept so that all instances share one limit, for
 * example {@code redis://127.0.0.1:6379} ({@code RVFEED_REDIS_URL}); unset: each instance
 * keeps its own buckets in memory
 * @param redisKeyPrefix prefix of the Redis keys holding buckets (default
 * {@code rvfeed:rate-limit:})
 * @param redisTimeout how long a request waits for Redis before it is limited by a local
 * bucket instead (default 250 ms)
 * @param redisRetryInterval after Redis failed, how long local buckets are used before
 * Redis is tried again (default 5 s)
 */
@ConfigurationProperties("rvfeed.rate-limit")
record RateLimitProperties(@DefaultValue("20") int requestsPerSecond, @DefaultValue("40") int burst,
		@Nullable String redisUrl, @DefaultValue("rvfeed:rate-limit:") String redisKeyPrefix,
		@DefaultValue("250ms") Duration redisTimeout, @DefaultValue("5s") Duration redisRetryInterval) {

	RateLimitProperties {
		// unset environment variables arrive as empty values
		if (redisUrl != null && redisUrl.isBlank()) {
			redisUrl = null;
		}
		if (requestsPerSecond < 1 || requestsPerSecond > RateLimit.MAX) {
			throw new IllegalArgumentException("rvfeed.rate-limit.requests-per-second "
					+ "(RVFEED_RATE_LIMIT_REQUESTS_PER_SECOND) must be from 1 to " + RateLimit.MAX + ", not "
					+ requestsPerSecond);
		}
		if (burst < 1 || burst > RateLimit.MAX) {
			throw new IllegalArgumentException("rvfeed.rate-limit.burst (RVFEED_RATE_LIMIT_BURST) must be from 1 to "
					+ RateLimit.MAX + ", not " + burst);
		}
		if (redisUrl != null && !redisUrl.matches("(?i)rediss?(-socket|-sentinel)?://.+")) {
			// not the value itself: it may hold a password
			throw new IllegalArgumentException("rvfeed.rate-limit.redis-url (RVFEED_REDIS_URL) must be a Redis URL "
					+ "such as redis://127.0.0.1:6379");
		}
		if (redisTimeout.isZero() || redisTimeout.isNegative()) {
			throw new IllegalArgumentException("rvfeed.rate-limit.redis-timeout must be positive, not " + redisTimeout);
		}
		if (redisRetryInterval.isNegative()) {
			throw new IllegalArgumentException(
					"rvfeed.rate-limit.redis-retry-interval must not be negative, not " + redisRetryInterval);
		}
	}

	/** The limit of keys that have none of their own. */
	RateLimit defaultLimit() {
		return new RateLimit(this.requestsPerSecond, this.burst);
	}

}
