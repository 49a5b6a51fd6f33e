package io.rvfeed.ratelimit;

import java.util.EnumSet;
import java.util.UUID;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
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
class OperatorSettingsIT extends ServiceTest {

	static final String FEED = "/api/v2/rv-activity-feed/?limit=1";

	/**
	 * The rate limiter's log from before this class's first request: whichever test sends
	 * it, the service logs the outage once, and the test that checks the log must not
	 * depend on running first.
	 */
	static final ListAppender<ILoggingEvent> limiterLog = new ListAppender<>();

	/**
	 * Attached once the service has started (its logging setup would drop an appender
	 * attached earlier) and before this class's first request.
	 */
	@BeforeEach
	void recordTheLimitersLog() {
		Logger logger = (Logger) LoggerFactory.getLogger(RateLimiter.class);
		if (!logger.isAttached(limiterLog)) {
			limiterLog.start();
			logger.addAppender(limiterLog);
		}
	}

	@AfterAll
	static void stopRecording() {
		((Logger) LoggerFactory.getLogger(RateLimiter.class)).detachAppender(limiterLog);
	}

	@Autowired
	TenantRepository tenantRepository;

	@Autowired
	ApiKeyRepository keys;

	@Test
	void unreachableRedisFallsBackToLocalBucketsQuickly() {
		UUID tenant = UUID.randomUUID();
		this.tenantRepository.createIfAbsent(tenant, "fallback test");
		String key = ApiKeys.generate();
		this.keys.create(tenant, "k", EnumSet.of(Scope.FEED_READ), key, new RateLimit(1, 2));
		HttpApi.Reply first = this.api.get(FEED).key(key).send();
		// the first request may have tried Redis; once it failed, requests do not wait on
		// it
		long started = System.nanoTime();
		HttpApi.Reply second = this.api.get(FEED).key(key).send();
		HttpApi.Reply third = this.api.get(FEED).key(key).send();
		long millis = (System.nanoTime() - started) / 1_000_000;
		assertThat(first.status()).as(first.toString()).isEqualTo(200);
		assertThat(first.header("RateLimit-Limit")).isEqualTo("2");
		assertThat(second.status()).isEqualTo(200);
		assertStandardError(third, 429);
		assertThat(third.header("Retry-After")).isEqualTo("1");
		assertThat(millis).as("requests must not wait on the dead Redis").isLessThan(3000);
		assertThat(limiterLog.list).extracting(ILoggingEvent::getFormattedMessage)
			.anySatisfy((message) -> assertThat(message).startsWith("Redis is unreachable"));
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
