package io.rvfeed.ratelimit;

import java.util.EnumSet;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

import io.rvfeed.auth.ApiKeyRepository;
import io.rvfeed.auth.ApiKeys;
import io.rvfeed.auth.Scope;
import io.rvfeed.auth.TenantRepository;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.ServiceTest;

import static io.rvfeed.support.ErrorAssertions.assertStandardError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service configured the other way round from the shared test service: Redis named but
 * unreachable, no admin token, CORS open to one origin.
 */
@TestPropertySource(properties = { "rvfeed.rate-limit.redis-url=redis://127.0.0.1:1", "rvfeed.admin.token=",
		"rvfeed.cors.allowed-origins=https://console.example" })
@ExtendWith(OutputCaptureExtension.class)
class OperatorSettingsIT extends ServiceTest {

	static final String FEED = "/api/v2/rv-activity-feed/?limit=1";

	@Autowired
	TenantRepository tenantRepository;

	@Autowired
	ApiKeyRepository keys;

	@Test
	void unreachableRedisFallsBackToLocalBucketsQuickly(CapturedOutput output) {
		UUID tenant = UUID.randomUUID();
		this.tenantRepository.createIfAbsent(tenant, "fallback test");
		String key = ApiKeys.generate();
		this.keys.create(tenant, "k", EnumSet.of(Scope.FEED_READ), key, new RateLimit(1, 2));
		long started = System.nanoTime();
		HttpApi.Reply first = this.api.get(FEED).key(key).send();
		HttpApi.Reply second = this.api.get(FEED).key(key).send();
		HttpApi.Reply third = this.api.get(FEED).key(key).send();
		long millis = (System.nanoTime() - started) / 1_000_000;
		assertThat(first.status()).as(first.toString()).isEqualTo(200);
		assertThat(first.header("RateLimit-Limit")).isEqualTo("2");
		assertThat(second.status()).isEqualTo(200);
		assertStandardError(third, 429);
		assertThat(third.header("Retry-After")).isEqualTo("1");
		assertThat(millis).as("requests must not wait on the dead Redis").isLessThan(3000);
		assertThat(output.getOut()).contains("Redis is unreachable");
		// with the bootstrap key (default limit) the service keeps serving
		for (int i = 0; i < 3; i++) {
			assertThat(this.api.get(FEED).key(IntegrationTest.BOOTSTRAP_KEY).send().status()).isEqualTo(200);
		}
	}

	@Test
	void adminApiIsOffWithoutAToken() {
		assertStandardError(this.api.get("/admin/tenants").send(), 404);
		assertStandardError(this.api.get("/admin/tenants").key(IntegrationTest.ADMIN_TOKEN).send(), 404);
		assertStandardError(this.api.post("/admin/tenants", "{\"name\":\"x\"}").key(IntegrationTest.ADMIN_TOKEN).send(),
				404);
	}

	@Test
	void corsOpensToTheConfiguredOriginOnly() {
		HttpApi.Reply allowed = this.api.request("OPTIONS", FEED, null)
			.header("Origin", "https://console.example")
			.header("Access-Control-Request-Method", "GET")
			.header("Access-Control-Request-Headers", "authorization")
			.send();
		assertThat(allowed.status()).isEqualTo(200);
		assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo("https://console.example");
		HttpApi.Reply get = this.api.get(FEED)
			.key(IntegrationTest.BOOTSTRAP_KEY)
			.header("Origin", "https://console.example")
			.send();
		assertThat(get.status()).isEqualTo(200);
		assertThat(get.header("Access-Control-Allow-Origin")).isEqualTo("https://console.example");
		assertThat(get.header("Access-Control-Expose-Headers")).contains("RateLimit-Remaining");

		HttpApi.Reply other = this.api.request("OPTIONS", FEED, null)
			.header("Origin", "https://elsewhere.example")
			.header("Access-Control-Request-Method", "GET")
			.send();
		assertStandardError(other, 403);
		assertThat(other.header("Access-Control-Allow-Origin")).isNull();
	}

}
