package io.rvfeed.admin;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.ServiceTest;

import static io.rvfeed.support.ErrorAssertions.assertStandardError;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class AdminApiIT extends ServiceTest {

	static final String FEED = "/api/v2/rv-activity-feed/";

	@Test
	void adminApiNeedsTheAdminToken(CapturedOutput output) {
		assertStandardError(this.api.get("/admin/tenants").send(), 401);
		assertStandardError(this.api.get("/admin/tenants").key("wrong-admin-token-123456").send(), 401);
		assertStandardError(this.api.post("/admin/tenants", "{\"name\":\"x\"}").key("wrong-admin-token-123456").send(),
				401);
		// a tenant's API key does not open the admin API
		assertStandardError(this.api.get("/admin/tenants").key(IntegrationTest.BOOTSTRAP_KEY).send(), 401);
		assertThat(output.getOut()).contains("Rejected admin request GET /admin/tenants from 127.0.0.1")
			.doesNotContain("wrong-admin-token-123456")
			.doesNotContain(IntegrationTest.BOOTSTRAP_KEY);
	}

	@Test
	void unknownAdminPathIs404WithTheToken() {
		assertStandardError(admin(this.api.get("/admin/nothing-here")).send(), 404);
	}

	@Test
	void operatorWorkflowCreateListUseRevoke(CapturedOutput output) {
		HttpApi.Reply tenant = admin(this.api.post("/admin/tenants", "{\"name\":\"Acme\"}")).send();
		assertThat(tenant.status()).as(tenant.toString()).isEqualTo(201);
		String tenantId = tenant.json().get("tenant_id").asString();
		assertThat(admin(this.api.get("/admin/tenants")).send().body()).contains(tenantId).contains("Acme");

		HttpApi.Reply created = admin(this.api.post("/admin/tenants/" + tenantId + "/keys",
				"{\"name\":\"console\",\"scopes\":[\"feed:read\"]}"))
			.send();
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		String key = created.json().get("api_key").asString();
		String keyId = created.json().get("key").get("key_id").asString();
		assertThat(key).startsWith("rvf_").hasSize(44);
		assertThat(created.json().get("key").get("prefix").asString()).isEqualTo(key.substring(0, 12));

		HttpApi.Reply feed = this.api.get(FEED).key(key).send();
		assertThat(feed.status()).as(feed.toString()).isEqualTo(200);

		HttpApi.Reply list = admin(this.api.get("/admin/tenants/" + tenantId + "/keys")).send();
		assertThat(list.status()).isEqualTo(200);
		JsonNode listed = list.json().get(0);
		assertThat(listed.get("key_id").asString()).isEqualTo(keyId);
		assertThat(listed.get("name").asString()).isEqualTo("console");
		assertThat(listed.get("prefix").asString()).isEqualTo(key.substring(0, 12));
		assertThat(listed.get("scopes").get(0).asString()).isEqualTo("feed:read");
		assertThat(listed.get("created_at").isNull()).isFalse();
		assertThat(listed.get("last_used_at").isNull()).as("used by the feed call").isFalse();
		assertThat(listed.get("revoked_at").isNull()).isTrue();
		assertThat(list.body()).doesNotContain(key).doesNotContain("hash");

		HttpApi.Reply revoked = admin(this.api.post("/admin/tenants/" + tenantId + "/keys/" + keyId + "/revoke", ""))
			.send();
		assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
		assertThat(revoked.json().get("revoked_at").isNull()).isFalse();
		assertStandardError(this.api.get(FEED).key(key).send(), 401);
		assertStandardError(
				admin(this.api.post("/admin/tenants/" + tenantId + "/keys/" + keyId + "/revoke", "")).send(), 409);

		assertThat(output.getOut()).doesNotContain(key).doesNotContain(key.substring(4));
	}

	@Test
	void rotateReplacesTheKeyAndRevokesTheOld(CapturedOutput output) {
		String tenantId = createTenant();
		HttpApi.Reply created = admin(this.api.post("/admin/tenants/" + tenantId + "/keys",
				"{\"name\":\"ingest\",\"scopes\":[\"feed:read\",\"sessions:write\"],"
						+ "\"rate_limit\":{\"requests_per_second\":5,\"burst\":7}}"))
			.send();
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		String oldKey = created.json().get("api_key").asString();
		String oldKeyId = created.json().get("key").get("key_id").asString();

		HttpApi.Reply rotated = admin(this.api.post("/admin/tenants/" + tenantId + "/keys/" + oldKeyId + "/rotate", ""))
			.send();
		assertThat(rotated.status()).as(rotated.toString()).isEqualTo(201);
		String newKey = rotated.json().get("api_key").asString();
		assertThat(newKey).isNotEqualTo(oldKey);
		JsonNode newInfo = rotated.json().get("key");
		assertThat(newInfo.get("name").asString()).isEqualTo("ingest");
		assertThat(newInfo.get("scopes")).hasSize(2);
		assertThat(newInfo.get("rate_limit").get("requests_per_second").asInt()).isEqualTo(5);
		assertThat(newInfo.get("rate_limit").get("burst").asInt()).isEqualTo(7);

		assertStandardError(this.api.get(FEED).key(oldKey).send(), 401);
		HttpApi.Reply feed = this.api.get(FEED).key(newKey).send();
		assertThat(feed.status()).isEqualTo(200);
		assertThat(feed.header("RateLimit-Limit")).isEqualTo("7");

		String list = admin(this.api.get("/admin/tenants/" + tenantId + "/keys")).send().body();
		assertThat(list).doesNotContain(oldKey).doesNotContain(newKey);
		assertThat(output.getOut()).doesNotContain(oldKey).doesNotContain(newKey);
	}

	@Test
	void badInputIs400AndUnknownThingsAre404() {
		assertStandardError(admin(this.api.post("/admin/tenants", "{}")).send(), 400);
		String tenantId = createTenant();
		HttpApi.Reply unknownScope = admin(
				this.api.post("/admin/tenants/" + tenantId + "/keys", "{\"name\":\"k\",\"scopes\":[\"feed:write\"]}"))
			.send();
		assertStandardError(unknownScope, 400);
		assertThat(unknownScope.json().get("message").asString()).contains("feed:write").contains("feed:read");
		assertStandardError(admin(this.api.post("/admin/tenants/" + tenantId + "/keys",
				"{\"name\":\"k\",\"scopes\":[\"feed:read\"],\"rate_limit\":{\"burst\":3}}"))
			.send(), 400);
		assertStandardError(admin(this.api.post("/admin/tenants/" + UUID.randomUUID() + "/keys",
				"{\"name\":\"k\",\"scopes\":[\"feed:read\"]}"))
			.send(), 404);
		assertStandardError(
				admin(this.api.post("/admin/tenants/" + tenantId + "/keys/" + UUID.randomUUID() + "/revoke", ""))
					.send(),
				404);
		assertStandardError(
				admin(this.api.post("/admin/tenants",
						"{\"name\":\"again\",\"tenant_id\":\"" + IntegrationTest.BOOTSTRAP_TENANT + "\"}"))
					.send(),
				409);
	}

	@Test
	void invalidApiKeysAreLoggedWithTheAddressButNotTheKey(CapturedOutput output) {
		String guess = "rvf_" + "G".repeat(40);
		assertStandardError(this.api.get(FEED).key(guess).send(), 401);
		assertThat(output.getOut()).contains("Rejected API request GET " + FEED + " from 127.0.0.1")
			.doesNotContain(guess)
			.doesNotContain("GGGGGGGG");
	}

	private String createTenant() {
		HttpApi.Reply tenant = admin(this.api.post("/admin/tenants", "{\"name\":\"t\"}")).send();
		assertThat(tenant.status()).as(tenant.toString()).isEqualTo(201);
		return tenant.json().get("tenant_id").asString();
	}

	static HttpApi.Call admin(HttpApi.Call call) {
		return call.key(IntegrationTest.ADMIN_TOKEN);
	}

}
