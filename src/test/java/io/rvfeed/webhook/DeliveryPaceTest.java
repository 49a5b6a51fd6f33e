package io.rvfeed.webhook;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import io.rvfeed.web.ApiActivity;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryPaceTest {

	private final ApiActivity api = new ApiActivity();

	private final AtomicReference<Double> load = new AtomicReference<>(0.0);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final DeliveryPace pace = new DeliveryPace(this.api, properties(0.8, 20), this.meters, this.load::get);

	static WebhookProperties properties(double yieldAboveCpu, int yieldRate) {
		return new WebhookProperties(true, false, List.of(Duration.ofSeconds(1)), Duration.ofDays(5),
				Duration.ofSeconds(10), 32, 4, Duration.ofMillis(250), Duration.ofHours(24), 50, Duration.ofDays(30),
				yieldAboveCpu, yieldRate);
	}

	@Test
	void yieldsOnlyWhileTheApiIsBusyAndTheCpusAreSaturated() throws Exception {
		this.load.set(0.95);
		assertThat(decided()).as("no API request yet").isFalse();

		this.api.began();
		assertThat(decided()).isTrue();
		assertThat(this.meters.get("rvfeed.webhook.delivery.yielding").gauge().value()).isEqualTo(1);

		this.load.set(0.5);
		assertThat(decided()).as("CPUs to spare").isFalse();
		assertThat(this.meters.get("rvfeed.webhook.delivery.yielding").gauge().value()).isZero();
	}

	@Test
	void whileYieldingAttemptsArePacedAtTheYieldRate() throws Exception {
		this.load.set(0.95);
		this.api.began();
		assertThat(decided()).isTrue();
		long start = System.nanoTime();
		for (int i = 0; i < 12; i++) {
			assertThat(this.pace.awaitTurn()).isTrue();
		}
		// 2 at once (a tenth of the rate), then 10 at 20 per second
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(400),
				Duration.ofSeconds(3));
	}

	@Test
	void withoutYieldingAttemptsDoNotWait() throws Exception {
		this.load.set(0.5);
		this.api.began();
		assertThat(decided()).isFalse();
		long start = System.nanoTime();
		for (int i = 0; i < 1000; i++) {
			assertThat(this.pace.awaitTurn()).isTrue();
		}
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(400));
	}

	@Test
	void aStoppingWorkerIsNotKeptWaiting() throws Exception {
		this.load.set(0.95);
		this.api.began();
		assertThat(decided()).isTrue();
		Thread.currentThread().interrupt();
		try {
			while (this.pace.awaitTurn()) {
				Thread.currentThread().interrupt();
			}
			assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
		}
		finally {
			Thread.interrupted();
		}
	}

	/** The decision after its next check. */
	private boolean decided() throws InterruptedException {
		Thread.sleep(DeliveryPace.CHECK_MILLIS + 20);
		return this.pace.yielding();
	}

}
