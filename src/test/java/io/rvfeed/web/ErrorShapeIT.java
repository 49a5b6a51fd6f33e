package io.rvfeed.web;

import org.junit.jupiter.api.Test;

import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.ServiceTest;

import static io.rvfeed.support.ErrorAssertions.assertStandardError;
import static org.assertj.core.api.Assertions.assertThat;

class ErrorShapeIT extends ServiceTest {

	@Test
	void unknownRouteIs404InTheStandardBody() {
		assertStandardError(this.api.get("/no/such/route").send(), 404);
	}

	@Test
	void unknownApiRouteNeedsAKeyFirst() {
		assertStandardError(this.api.get("/api/v2/nothing-here/").send(), 401);
		assertStandardError(this.api.get("/api/v2/nothing-here/").key(IntegrationTest.BOOTSTRAP_KEY).send(), 404);
	}

	@Test
	void wrongMethodIs405() {
		HttpApi.Reply reply = this.api.request("DELETE", "/api/v2/rv-activity-feed/", null)
			.key(IntegrationTest.BOOTSTRAP_KEY)
			.send();
		assertStandardError(reply, 405);
		assertThat(reply.json().get("message").asString()).contains("DELETE").contains("GET");
	}

	@Test
	void undecodableQueryIs400() {
		HttpApi.RawReply reply = this.api.raw("GET", "/api/v2/rv-activity-feed/?reason=%zz",
				"Authorization: Bearer " + IntegrationTest.BOOTSTRAP_KEY);
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.json().get("code").asInt()).isEqualTo(400);
		assertThat(reply.json().get("message").asString()).contains("query string");
	}

	@Test
	void healthIsOpenAndMetricsNeedTheToken() {
		HttpApi.Reply health = this.api.get("/actuator/health/readiness").send();
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.json().get("status").asString()).isEqualTo("UP");
		assertStandardError(this.api.get("/actuator/prometheus").send(), 401);
		assertStandardError(this.api.get("/actuator/prometheus").key(IntegrationTest.BOOTSTRAP_KEY).send(), 401);
		HttpApi.Reply metrics = this.api.get("/actuator/prometheus").key(IntegrationTest.METRICS_TOKEN).send();
		assertThat(metrics.status()).isEqualTo(200);
		assertThat(metrics.body()).contains("http_server_requests");
	}

}
