package io.rvfeed.stats;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Turns for statistics statements: per tenant, per instance, a bounded wait. */
class StatsLimitsTest {

	final ExecutorService pool = Executors.newCachedThreadPool();

	final CountDownLatch release = new CountDownLatch(1);

	@AfterEach
	void stop() {
		this.release.countDown();
		this.pool.shutdownNow();
	}

	/** Holds a turn until the test ends; returns once it holds it. */
	void hold(StatsLimits limits, UUID tenant) throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		this.pool.submit(() -> limits.run(tenant, () -> {
			started.countDown();
			try {
				return this.release.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				return false;
			}
		}));
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void aTenantGetsItsTurnsAndThenWaitsUntilTheTimeout() throws Exception {
		StatsLimits limits = new StatsLimits(
				new StatsProperties(Duration.ofSeconds(30), 4, 2, Duration.ofMillis(200), Duration.ofSeconds(1), 0));
		UUID tenant = UUID.randomUUID();
		hold(limits, tenant);
		hold(limits, tenant);
		assertThatThrownBy(() -> limits.run(tenant, () -> "third")).isInstanceOf(StatsBusy.class)
			.hasMessageContaining("2 statistics requests running");
		// another tenant still has its turns
		assertThat(limits.run(UUID.randomUUID(), () -> "other")).isEqualTo("other");
	}

	@Test
	void theInstanceCapHoldsAcrossTenantsAndAWaiterGetsAFreedTurn() throws Exception {
		StatsLimits limits = new StatsLimits(
				new StatsProperties(Duration.ofSeconds(30), 2, 2, Duration.ofSeconds(5), Duration.ofSeconds(1), 0));
		hold(limits, UUID.randomUUID());
		hold(limits, UUID.randomUUID());
		Future<String> waiting = this.pool.submit(() -> limits.run(UUID.randomUUID(), () -> "waited"));
		Thread.sleep(200);
		assertThat(waiting.isDone()).isFalse();
		this.release.countDown();
		assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("waited");
		// a turn that failed is given back
		assertThatThrownBy(() -> limits.run(UUID.randomUUID(), () -> {
			throw new IllegalStateException("boom");
		})).isInstanceOf(IllegalStateException.class);
		assertThat(limits.run(UUID.randomUUID(), () -> "again")).isEqualTo("again");
	}

}
