package io.rvfeed.webhook;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.TestTenants.TestTenant;
import io.rvfeed.web.ApiActivity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delivery gives way while the API is busy ({@link DeliveryPace}); only authenticated
 * requests make it busy, so callers without a valid key cannot slow every tenant's
 * deliveries to the floor.
 */
class RefusedRequestsDoNotHoldDeliveryBackIT extends ServiceTest {

	@Autowired
	ApiActivity activity;

	@Test
	void onlyAuthenticatedRequestsMakeTheApiBusy() throws Exception {
		TestTenant tenant = this.tenants.create();
		Thread.sleep(300);
		long start = System.nanoTime();
		for (int i = 0; i < 20; i++) {
			assertThat(this.api.request("GET", "/api/v2/rv-activity-feed/", null).send().status()).isEqualTo(401);
			assertThat(this.api.request("GET", "/api/v2/rv-activity-feed/", null).key("rvf_not-a-key").send().status())
				.isEqualTo(401);
		}
		assertThat(this.activity.startedWithin(Duration.ofNanos(System.nanoTime() - start)))
			.as("refused requests do not count")
			.isFalse();

		assertThat(this.api.request("GET", "/api/v2/rv-activity-feed/", null).key(tenant.key()).send().status())
			.isEqualTo(200);
		assertThat(this.activity.startedWithin(Duration.ofSeconds(5))).isTrue();
	}

}
