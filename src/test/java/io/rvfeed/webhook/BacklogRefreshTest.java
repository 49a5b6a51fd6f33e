package io.rvfeed.webhook;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BacklogRefreshTest {

	@Test
	void aShortBacklogIsCountedEveryFiveSecondsALongOneAtMostATwoHundredthOfTheTime() {
		assertThat(DeliveryWorker.backlogRefresh(Duration.ofMillis(3))).isEqualTo(Duration.ofSeconds(5));
		assertThat(DeliveryWorker.backlogRefresh(Duration.ofMillis(100))).isEqualTo(Duration.ofSeconds(5));
		assertThat(DeliveryWorker.backlogRefresh(Duration.ofMillis(270))).isEqualTo(Duration.ofMillis(13_500));
		assertThat(DeliveryWorker.backlogRefresh(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(150));
	}

	@Test
	void whileDeliveryGivesWayTheBacklogWaitsUpToAMinuteSinceItWasLastCounted() {
		Instant last = Instant.parse("2026-12-04T12:00:00Z");
		Instant next = last.plusSeconds(5);
		assertThat(DeliveryWorker.backlogDue(last.plusSeconds(4), next, last, () -> false)).isFalse();
		assertThat(DeliveryWorker.backlogDue(last.plusSeconds(6), next, last, () -> false)).isTrue();
		assertThat(DeliveryWorker.backlogDue(last.plusSeconds(6), next, last, () -> true)).isFalse();
		assertThat(DeliveryWorker.backlogDue(last.plusSeconds(59), next, last, () -> true)).isFalse();
		assertThat(DeliveryWorker.backlogDue(last.plusSeconds(60), next, last, () -> true)).isTrue();
	}

}
