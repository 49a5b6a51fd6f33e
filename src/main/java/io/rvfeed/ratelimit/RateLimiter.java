package io.rvfeed.ratelimit;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts each API request against its key's token bucket: in Redis when one is
 * configured, so all instances share one limit, and in memory otherwise. When Redis
 * cannot be reached the service keeps serving: requests are counted in local buckets (a
 * limit per instance) until Redis answers again.
 */
public class RateLimiter implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);

	/** Local buckets beyond this many are swept of those that are full again. */
	private static final int SWEEP_ABOVE = 10_000;

	private final RateLimit defaultLimit;

	private final RedisBuckets redis;

	private final long redisRetryNanos;

	private final LongSupplier nanoClock;

	private final TimeMeter timeMeter;

	private final Map<String, LocalBucket> localBuckets = new ConcurrentHashMap<>();

	/** While Redis is down: when one request may try it again. */
	private final AtomicLong redisRetryAt = new AtomicLong();

	private volatile boolean redisDown;

	RateLimiter(RateLimitProperties properties) {
		this(properties, System::nanoTime);
	}

	RateLimiter(RateLimitProperties properties, LongSupplier nanoClock) {
		this.defaultLimit = properties.defaultLimit();
		this.redis = (properties.redisUrl() != null)
				? new RedisBuckets(properties.redisUrl(), properties.redisKeyPrefix(), properties.redisTimeout())
				: null;
		this.redisRetryNanos = properties.redisRetryInterval().toNanos();
		this.nanoClock = nanoClock;
		// local buckets refill on the same clock, so that a test can move time on
		this.timeMeter = new TimeMeter() {
			@Override
			public long currentTimeNanos() {
				return nanoClock.getAsLong();
			}

			@Override
			public boolean isWallClockBased() {
				return false;
			}
		};
		if (this.redis != null) {
			log.info("Rate limits are shared through Redis at {}", redactedUrl(properties.redisUrl()));
		}
	}

	public RateLimit defaultLimit() {
		return this.defaultLimit;
	}

	/** Takes one request from the key's bucket: its own limit, or the default. */
	public RateLimitDecision tryConsume(UUID keyId, RateLimit limit) {
		// The limit is part of the bucket's name:
		// changing a key's limit starts a new bucket.
		String bucketId = keyId + ":" + limit.requestsPerSecond() + ":" + limit.burst();
		BucketConfiguration configuration = configuration(limit);
		ConsumptionProbe probe = null;
		if (this.redis != null && mayUseRedis()) {
			probe = tryRedis(bucketId, configuration);
		}
		if (probe == null) {
			probe = localBucket(bucketId, limit, configuration).tryConsumeAndReturnRemaining(1);
		}
		return decision(probe, limit);
	}

	/**
	 * Whether this request goes to Redis: always while it answers; once it failed, only
	 * one request per retry interval, so that a dead Redis never holds up more than that
	 * one.
	 */
	private boolean mayUseRedis() {
		if (!this.redisDown) {
			return true;
		}
		long now = this.nanoClock.getAsLong();
		long retryAt = this.redisRetryAt.get();
		return now - retryAt >= 0 && this.redisRetryAt.compareAndSet(retryAt, now + this.redisRetryNanos);
	}

	private ConsumptionProbe tryRedis(String bucketId, BucketConfiguration configuration) {
		try {
			ConsumptionProbe probe = this.redis.tryConsume(bucketId, configuration);
			if (this.redisDown) {
				this.redisDown = false;
				log.info("Redis answers again: rate limits are shared across instances again");
			}
			return probe;
		}
		catch (RuntimeException ex) {
			this.redisRetryAt.set(this.nanoClock.getAsLong() + this.redisRetryNanos);
			if (!this.redisDown) {
				this.redisDown = true;
				log.warn("Redis is unreachable ({}); rate limiting with local buckets per instance until it answers",
						ex.toString());
			}
			return null;
		}
	}

	private Bucket localBucket(String bucketId, RateLimit limit, BucketConfiguration configuration) {
		if (this.localBuckets.size() > SWEEP_ABOVE) {
			// A full bucket is the same as a new one, so dropping it changes nothing.
			this.localBuckets.values().removeIf((local) -> local.bucket().getAvailableTokens() >= local.capacity());
		}
		return this.localBuckets
			.computeIfAbsent(bucketId,
					(id) -> new LocalBucket(Bucket.builder()
						.addLimit(configuration.getBandwidths()[0])
						.withCustomTimePrecision(this.timeMeter)
						.build(), limit.burst()))
			.bucket();
	}

	private record LocalBucket(Bucket bucket, long capacity) {
	}

	static BucketConfiguration configuration(RateLimit limit) {
		return BucketConfiguration.builder()
			.addLimit((bandwidth) -> bandwidth.capacity(limit.burst())
				.refillGreedy(limit.requestsPerSecond(), Duration.ofSeconds(1)))
			.build();
	}

	static RateLimitDecision decision(ConsumptionProbe probe, RateLimit limit) {
		long remaining = Math.max(0, probe.getRemainingTokens());
		long missing = limit.burst() - remaining;
		long resetSeconds = (missing <= 0) ? 0 : ceilDiv(missing, limit.requestsPerSecond());
		long retryAfter = probe.isConsumed() ? 0
				: Math.max(1, ceilDiv(probe.getNanosToWaitForRefill(), TimeUnit.SECONDS.toNanos(1)));
		return new RateLimitDecision(probe.isConsumed(), limit, remaining, resetSeconds, retryAfter);
	}

	private static long ceilDiv(long x, long y) {
		return -Math.floorDiv(-x, y);
	}

	/** A Redis URL without its password, for the log. */
	static String redactedUrl(String url) {
		return url.replaceAll("//[^@/]*@", "//***@");
	}

	@Override
	public void close() {
		if (this.redis != null) {
			this.redis.close();
		}
	}

}
