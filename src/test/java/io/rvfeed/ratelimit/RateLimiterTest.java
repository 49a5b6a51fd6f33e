package io.rvfeed.ratelimit;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class RateLimiterTest {

	@Test
	void inMemoryBucketAllowsTheBurstThenRefills() {
		// time stands still until the test moves it: no request needs to finish in time
		AtomicLong clock = new AtomicLong(1_000_000_000L);
		try (RateLimiter limiter = new RateLimiter(properties(null, 10, 3), clock::get)) {
			UUID key = UUID.randomUUID();
			RateLimit limit = limiter.defaultLimit();
			assertThat(limit).isEqualTo(new RateLimit(10, 3));
			RateLimitDecision first = limiter.tryConsume(key, limit);
			assertThat(first.allowed()).isTrue();
			assertThat(first.remaining()).isEqualTo(2);
			assertThat(first.resetSeconds()).isEqualTo(1);
			assertThat(limiter.tryConsume(key, limit).allowed()).isTrue();
			assertThat(limiter.tryConsume(key, limit).allowed()).isTrue();
			RateLimitDecision refused = limiter.tryConsume(key, limit);
			assertThat(refused.allowed()).isFalse();
			assertThat(refused.remaining()).isZero();
			assertThat(refused.retryAfterSeconds()).isEqualTo(1);
			// another key has its own bucket
			assertThat(limiter.tryConsume(UUID.randomUUID(), limit).allowed()).isTrue();
			// 10 per second: one request back after 100 ms, not before
			clock.addAndGet(Duration.ofMillis(99).toNanos());
			assertThat(limiter.tryConsume(key, limit).allowed()).isFalse();
			clock.addAndGet(Duration.ofMillis(1).toNanos());
			assertThat(limiter.tryConsume(key, limit).allowed()).isTrue();
			assertThat(limiter.tryConsume(key, limit).allowed()).isFalse();
			// and never more than the burst, however long the key was quiet
			clock.addAndGet(Duration.ofHours(1).toNanos());
			for (int i = 0; i < 3; i++) {
				assertThat(limiter.tryConsume(key, limit).allowed()).isTrue();
			}
			assertThat(limiter.tryConsume(key, limit).allowed()).isFalse();
		}
	}

	@Test
	void retryAfterAndResetFollowTheRate() {
		AtomicLong clock = new AtomicLong(0);
		try (RateLimiter limiter = new RateLimiter(properties(null, 1, 1), clock::get)) {
			UUID key = UUID.randomUUID();
			RateLimit slow = new RateLimit(1, 60);
			RateLimitDecision decision = limiter.tryConsume(key, slow);
			assertThat(decision.remaining()).isEqualTo(59);
			assertThat(decision.resetSeconds()).isEqualTo(1);
			for (int i = 0; i < 59; i++) {
				limiter.tryConsume(key, slow);
			}
			RateLimitDecision refused = limiter.tryConsume(key, slow);
			assertThat(refused.allowed()).isFalse();
			assertThat(refused.resetSeconds()).isEqualTo(60);
			assertThat(refused.retryAfterSeconds()).isEqualTo(1);
			// half a minute later: half the burst back
			clock.addAndGet(Duration.ofSeconds(30).toNanos());
			RateLimitDecision later = limiter.tryConsume(key, slow);
			assertThat(later.allowed()).isTrue();
			assertThat(later.remaining()).isEqualTo(29);
			assertThat(later.resetSeconds()).isEqualTo(31);
		}
	}

	@Test
	void unreachableRedisFallsBackToLocalBucketsWithoutWaiting(CapturedOutput output) {
		AtomicLong clock = new AtomicLong(0);
		try (RateLimiter limiter = new RateLimiter(properties("redis://:secret@127.0.0.1:1", 1, 2), clock::get)) {
			UUID key = UUID.randomUUID();
			// the first request tries Redis (on a busy machine the client's first start
			// alone takes seconds); once it failed, requests do not go to Redis at all
			assertThat(limiter.tryConsume(key, limiter.defaultLimit()).allowed()).isTrue();
			long started = System.nanoTime();
			assertThat(limiter.tryConsume(key, limiter.defaultLimit()).allowed()).isTrue();
			assertThat(limiter.tryConsume(key, limiter.defaultLimit()).allowed()).isFalse();
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
			// Redis is tried again after the retry interval, and found still down
			clock.addAndGet(Duration.ofSeconds(6).toNanos());
			assertThat(limiter.tryConsume(UUID.randomUUID(), limiter.defaultLimit()).allowed()).isTrue();
		}
		assertThat(output.getOut()).contains("Redis is unreachable").doesNotContain("secret");
		assertThat(output.getOut().split("Redis is unreachable", -1)).as("logged once per outage").hasSize(2);
	}

	@Test
	void redisUrlPasswordsAreRedacted() {
		assertThat(RateLimiter.redactedUrl("redis://user:pw@host:6379/0")).isEqualTo("redis://***@host:6379/0");
		assertThat(RateLimiter.redactedUrl("redis://host:6379")).isEqualTo("redis://host:6379");
	}

	static RateLimitProperties properties(String redisUrl, int rate, int burst) {
		return new RateLimitProperties(rate, burst, redisUrl, "rvfeed-test:" + UUID.randomUUID() + ":",
				Duration.ofMillis(250), Duration.ofSeconds(5));
	}

}
