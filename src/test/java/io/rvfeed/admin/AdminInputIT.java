package io.rvfeed.admin;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.ServiceTest;

import static io.rvfeed.support.ErrorAssertions.assertStandardError;
import static org.assertj.core.api.Assertions.assertThat;

/** Admin request bodies are read strictly, and a 400 names the field that was wrong. */
class AdminInputIT extends ServiceTest {

	private HttpApi.Reply post(String path, String body) {
		return this.api.post(path, body).key(IntegrationTest.ADMIN_TOKEN).send();
	}

	private String message(HttpApi.Reply reply) {
		assertStandardError(reply, 400);
		return reply.json().get("message").asString();
	}

	@Test
	void wrongTypesAndUnknownFieldsAreNamed() {
		assertThat(message(post("/admin/tenants", "{\"name\":5}"))).contains("'name'");
		assertThat(message(post("/admin/tenants", "{\"name\":\"Acme\",\"colour\":\"red\"}"))).contains("'colour'");
		assertThat(message(post("/admin/tenants", "{\"name\":\"Acme\",\"tenant_id\":\"nope\"}")))
			.contains("'tenant_id'");
		String tenant = post("/admin/tenants", "{\"name\":\"Strict Ltd\"}").json().get("tenant_id").asString();
		assertThat(message(post("/admin/tenants/" + tenant + "/keys",
				"{\"name\":\"k\",\"scopes\":[\"feed:read\"],\"rate_limit\":{\"requests_per_second\":1.5,\"burst\":2}}")))
			.contains("requests_per_second");
		assertThat(message(post("/admin/tenants/" + tenant + "/keys",
				"{\"name\":\"k\",\"scopes\":[\"feed:read\"],\"rate_limit\":{\"requests_per_second\":\"5\",\"burst\":2}}")))
			.contains("requests_per_second");
		assertThat(message(post("/admin/tenants/not-a-uuid/keys", "{\"name\":\"k\",\"scopes\":[\"feed:read\"]}")))
			.contains("UUID");
	}

	@Test
	void anEmptyRateLimitIsRefusedRatherThanResetSilently() {
		String tenant = post("/admin/tenants", "{\"name\":\"Limits Ltd\"}").json().get("tenant_id").asString();
		HttpApi.Reply key = post("/admin/tenants/" + tenant + "/keys",
				"{\"name\":\"k\",\"scopes\":[\"feed:read\"],\"rate_limit\":{\"requests_per_second\":5,\"burst\":9}}");
		assertThat(key.status()).isEqualTo(201);
		String keyId = key.json().get("key").get("key_id").asString();
		HttpApi.Reply put = this.api.request("PUT", "/admin/tenants/" + tenant + "/keys/" + keyId + "/rate-limit", "{}")
			.header("Content-Type", "application/json")
			.key(IntegrationTest.ADMIN_TOKEN)
			.send();
		assertThat(message(put)).contains("DELETE");
		HttpApi.Reply list = this.api.get("/admin/tenants/" + tenant + "/keys").key(IntegrationTest.ADMIN_TOKEN).send();
		assertThat(list.json().get(0).get("rate_limit").get("burst").asInt()).isEqualTo(9);
		assertThat(UUID.fromString(keyId)).isNotNull();
	}

}
