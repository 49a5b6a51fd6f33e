package io.rvfeed.webhook;

import java.time.Duration;

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

}
