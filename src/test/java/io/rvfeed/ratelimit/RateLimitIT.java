package io.rvfeed.ratelimit;

import java.util.EnumSet;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.rvfeed.auth.ApiKeyRepository;
import io.rvfeed.auth.ApiKeys;
import io.rvfeed.auth.Scope;
import io.rvfeed.auth.TenantRepository;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.ServiceTest;

import static io.rvfeed.support.ErrorAssertions.assertStandardError;
import static org.assertj.core.api.Assertions.assertThat;

class RateLimitIT extends ServiceTest {

	static final String FEED = "/api/v2/rv-activity-feed/?limit=1";

	@Autowired
	TenantRepository tenantRepository;

	@Autowired
	ApiKeyRepository keys;

	@Test
	void keyWithItsOwnLimitGets429WithHeadersOnceItsBurstIsUsed() {
		UUID tenant = newTenant();
		String key = newKey(tenant, new RateLimit(1, 3));
		for (int remaining = 2; remaining >= 0; remaining--) {
			HttpApi.Reply reply = this.api.get(FEED).key(key).send();
			assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
			assertThat(reply.header("RateLimit-Limit")).isEqualTo("3");
			assertThat(Integer.parseInt(reply.header("RateLimit-Remaining"))).isLessThanOrEqualTo(remaining);
			assertThat(Integer.parseInt(reply.header("RateLimit-Reset"))).isBetween(1, 3);
			assertThat(reply.header("Retry-After")).isNull();
		}
		HttpApi.Reply refused = this.api.get(FEED).key(key).send();
		assertStandardError(refused, 429);
		assertThat(refused.json().get("message").asString())
			.isEqualTo("Too many requests. Wait a moment and try again.");
		assertThat(refused.header("Retry-After")).isEqualTo("1");
		assertThat(refused.header("RateLimit-Limit")).isEqualTo("3");
		assertThat(refused.header("RateLimit-Remaining")).isEqualTo("0");
		assertThat(Integer.parseInt(refused.header("RateLimit-Reset"))).isBetween(1, 3);
	}

	@Test
	void perKeyOverrideLeavesOtherKeysOnTheDefault() {
		UUID tenant = newTenant();
		String limited = newKey(tenant, new RateLimit(1, 1));
		String normal = newKey(tenant, null);
		assertThat(this.api.get(FEED).key(limited).send().status()).isEqualTo(200);
		assertStandardError(this.api.get(FEED).key(limited).send(), 429);
		for (int i = 0; i < 5; i++) {
			HttpApi.Reply reply = this.api.get(FEED).key(normal).send();
			assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
			assertThat(reply.header("RateLimit-Limit")).isEqualTo(Integer.toString(IntegrationTest.DEFAULT_RATE));
		}
	}

	@Test
	void changingAKeysLimitTakesEffectAtOnce() {
		UUID tenant = newTenant();
		String key = newKey(tenant, new RateLimit(1, 1));
		assertThat(this.api.get(FEED).key(key).send().status()).isEqualTo(200);
		assertStandardError(this.api.get(FEED).key(key).send(), 429);
		UUID keyId = this.keys.list(tenant).get(0).keyId();
		this.keys.setRateLimit(tenant, keyId, new RateLimit(1, 5));
		HttpApi.Reply reply = this.api.get(FEED).key(key).send();
		assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
		assertThat(reply.header("RateLimit-Limit")).isEqualTo("5");
	}

	@Test
	void authenticationComesBeforeTheLimit() {
		UUID tenant = newTenant();
		String key = newKey(tenant, new RateLimit(1, 1));
		this.api.get(FEED).key(key).send();
		assertStandardError(this.api.get(FEED).key(key).send(), 429);
		HttpApi.Reply noKey = this.api.get(FEED).send();
		assertStandardError(noKey, 401);
		assertThat(noKey.header("RateLimit-Limit")).isNull();
		assertStandardError(this.api.get(FEED).key(key + "x").send(), 401);
	}

	@Test
	void headerProblemsOfAuthenticatedRequestsCarryTheHeadersToo() {
		HttpApi.Reply reply = this.api.get(FEED)
			.key(IntegrationTest.BOOTSTRAP_KEY)
			.header("X-Tenant-Id", "not-a-uuid")
			.send();
		assertStandardError(reply, 400);
		assertThat(reply.header("RateLimit-Remaining")).isNotNull();
	}

	private UUID newTenant() {
		UUID tenant = UUID.randomUUID();
		this.tenantRepository.createIfAbsent(tenant, "rate limit test");
		return tenant;
	}

	private String newKey(UUID tenant, RateLimit limit) {
		String key = ApiKeys.generate();
		this.keys.create(tenant, "k", EnumSet.of(Scope.FEED_READ), key, limit);
		return key;
	}

}
