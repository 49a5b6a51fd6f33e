package io.rvfeed.webhook;

import java.util.ArrayList;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.rvfeed.auth.Scope;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.TestTenants.TestTenant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoints API: scope, tenant isolation on every route, input checks, and what an
 * endpoint's lifecycle shows.
 */
class WebhookApiIT extends ServiceTest {

	private WebhookReceiver receiver;

	private HttpApi http;

	@BeforeEach
	void receiver() throws Exception {
		this.receiver = new WebhookReceiver();
		this.http = new HttpApi(this.port);
	}

	@AfterEach
	void close() {
		this.receiver.close();
	}

	private Webhooks webhooks(String key) {
		return new Webhooks(this.http, key);
	}

	/** Every route of one endpoint (and of one of its messages). */
	private static List<String[]> routes(UUID endpointId, String messageId) {
		return List.of(new String[] { "GET", endpointId + "/", "" },
				new String[] { "PATCH", endpointId + "/", "{\"description\":\"taken\"}" },
				new String[] { "POST", endpointId + "/rotate-secret", "" },
				new String[] { "GET", endpointId + "/messages", "" },
				new String[] { "GET", endpointId + "/messages/" + messageId, "" },
				new String[] { "GET", endpointId + "/messages/" + messageId + "/attempts", "" },
				new String[] { "POST", endpointId + "/messages/" + messageId + "/retry", "" },
				new String[] { "POST", endpointId + "/replay", "{\"since\":\"2020-01-01T00:00:00Z\"}" },
				new String[] { "DELETE", endpointId + "/", "" });
	}

	@Test
	void anotherTenantsEndpointAndMessagesAnswerExactlyLikeMissingOnes() throws Exception {
		TestTenant owner = this.tenants.create();
		TestTenant other = this.tenants.create();
		Webhooks.Made endpoint = webhooks(owner.key()).create(this.receiver.url("/iso"), "[]");
		write(owner).createSession(UUID.randomUUID(), "2026-01-01T10:00:00Z");
		List<WebhookReceiver.Delivery> got = this.receiver.await("/iso", 1, Duration.ofSeconds(20));
		assertThat(got).hasSize(1);
		String messageId = got.get(0).id();
		Webhooks.Made othersOwn = webhooks(other.key()).create(this.receiver.url("/other"), "[]");

		for (String[] route : routes(endpoint.id(), messageId)) {
			HttpApi.Reply theirs = webhooks(other.key()).call(route[0], route[1], route[2]);
			UUID missing = UUID.randomUUID();
			HttpApi.Reply absent = webhooks(other.key()).call(route[0],
					route[1].replace(endpoint.id().toString(), missing.toString()), route[2]);
			assertThat(theirs.status()).as(route[0] + " " + route[1]).isEqualTo(404);
			assertThat(absent.status()).isEqualTo(404);
			assertThat(theirs.body().replace(endpoint.id().toString(), "ID"))
				.isEqualTo(absent.body().replace(missing.toString(), "ID"));
			// the owner's message through the other tenant's own endpoint: not found
			// either
			if (route[1].contains("/messages/")) {
				HttpApi.Reply crossed = webhooks(other.key()).call(route[0],
						route[1].replace(endpoint.id().toString(), othersOwn.id().toString()), route[2]);
				assertThat(crossed.status()).as("crossed " + route[1]).isEqualTo(404);
				assertThat(crossed.json().get("message").asString()).contains("message");
			}
		}
		JsonNode list = webhooks(other.key()).content("");
		assertThat(list.get("results")).hasSize(1);
		assertThat(list.get("results").get(0).get("id").asString()).isEqualTo(othersOwn.id().toString());
		// nothing of the owner's changed
		JsonNode own = webhooks(owner.key()).content(endpoint.id().toString());
		assertThat(own.get("description").isNull()).isTrue();
		assertThat(own.get("secret_rotated_at").isNull()).isTrue();
	}

	@Test
	void everyRouteNeedsTheWebhooksManageScope() {
		TestTenant tenant = this.tenants.create();
		Webhooks.Made endpoint = webhooks(tenant.key()).create(this.receiver.url("/scope"), "[]");
		String reader = this.tenants.addKey(tenant.id(), "reader", EnumSet.of(Scope.FEED_READ, Scope.SESSIONS_WRITE));
		HttpApi.Reply create = webhooks(reader).call("POST", "", "{\"url\":\"" + this.receiver.url("/x") + "\"}");
		assertThat(create.status()).isEqualTo(403);
		assertThat(create.json().get("message").asString()).contains("webhooks:manage");
		assertThat(webhooks(reader).get("").status()).isEqualTo(403);
		for (String[] route : routes(endpoint.id(), "msg_" + UUID.randomUUID())) {
			assertThat(webhooks(reader).call(route[0], route[1], route[2]).status()).as(route[0] + " " + route[1])
				.isEqualTo(403);
		}
		assertThat(webhooks(IntegrationTest.BOOTSTRAP_KEY).get("").status()).as("the bootstrap key").isEqualTo(200);
	}

	@Test
	void badInputIsRefusedWithA4xxNamingWhatIsWrong() {
		TestTenant tenant = this.tenants.create();
		Webhooks hooks = webhooks(tenant.key());
		assertBad(hooks.call("POST", "", "{\"url\":\"ftp://example.com/\"}"), "url", "http or https");
		assertBad(hooks.call("POST", "", "{}"), "url", "required");
		assertBad(hooks.call("POST", "", "{\"url\":\"" + this.receiver.url("/x") + "\",\"event_types\":[\"nope\"]}"),
				"event_types[0]", "rv_session.created");
		assertBad(hooks.call("POST", "", "{\"url\":\"" + this.receiver.url("/x") + "\",\"states\":\"ACTIVE\"}"),
				"states", "array");
		assertBad(hooks.call("POST", "", "{\"url\":\"" + this.receiver.url("/x") + "\",\"enabled\":\"yes\"}"),
				"enabled", "true or false");
		assertBad(hooks.call("POST", "", "{\"url\":\"" + this.receiver.url("/x") + "\",\"secret\":\"mine\"}"),
				"unknown field", "secret");
		assertBad(hooks.call("POST", "", "not json"), "", "JSON");
		assertBad(hooks.call("POST", "", ""), "", "empty");
		HttpApi.Reply xml = this.http.request("POST", "/api/v2/webhooks/", "<a/>")
			.key(tenant.key())
			.header("Content-Type", "application/xml")
			.send();
		assertThat(xml.status()).isEqualTo(415);
		assertThat(hooks.get("not-a-uuid/").status()).isEqualTo(404);

		Webhooks.Made endpoint = hooks.create(this.receiver.url("/bad"), "[]");
		assertBad(hooks.get(endpoint.id() + "/messages?limit=0"), "limit", "1 to 250");
		assertBad(hooks.get(endpoint.id() + "/messages?status=lost"), "status", "delivered");
		assertBad(hooks.get(endpoint.id() + "/messages?before=x"), "before", "UUID");
		assertBad(hooks.call("POST", endpoint.id() + "/replay", "{}"), "cursor", "since");
		assertBad(hooks.call("POST", endpoint.id() + "/replay", "{\"cursor\":\"garbage\"}"), "cursor", "");
		assertBad(
				hooks.call("POST", endpoint.id() + "/replay", "{\"cursor\":\"x\",\"since\":\"2020-01-01T00:00:00Z\"}"),
				"", "not both");
		assertBad(hooks.call("PATCH", endpoint.id() + "/", "{\"url\":\"gopher://x/\"}"), "url", "http");
	}

	private static void assertBad(HttpApi.Reply reply, String field, String text) {
		assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
		assertThat(reply.json().get("message").asString()).as(reply.toString()).contains(field).contains(text);
	}

	@Test
	void anEndpointsLifecycle() {
		TestTenant tenant = this.tenants.create();
		Webhooks hooks = webhooks(tenant.key());
		HttpApi.Reply created = hooks.call("POST", "", "{\"url\":\"" + this.receiver.url("/life")
				+ "\",\"description\":\"SOAR\",\"event_types\":[\"rv_session.ended\"],\"states\":[\"FAILED\"]}");
		assertThat(created.status()).isEqualTo(201);
		JsonNode content = created.json().get("content");
		String id = content.get("id").asString();
		assertThat(created.header("Location")).isEqualTo("/api/v2/webhooks/" + id + "/");
		assertThat(content.get("secret").asString()).matches("whsec_[A-Za-z0-9+/=]{44}");
		assertThat(content.get("event_types")).hasSize(1);
		assertThat(content.get("states").get(0).asString()).isEqualTo("FAILED");
		assertThat(content.get("enabled").asBoolean()).isTrue();

		JsonNode shown = hooks.content(id);
		assertThat(shown.has("secret")).as("the secret is shown once").isFalse();
		assertThat(shown.get("description").asString()).isEqualTo("SOAR");

		HttpApi.Reply disabled = hooks.call("PATCH", id + "/", "{\"enabled\":false}");
		assertThat(disabled.status()).isEqualTo(200);
		assertThat(disabled.json().get("content").get("disabled_reason").asString()).contains("API");
		HttpApi.Reply enabled = hooks.call("PATCH", id + "/",
				"{\"enabled\":true,\"description\":null,\"event_types\":[]}");
		JsonNode after = enabled.json().get("content");
		assertThat(after.get("enabled").asBoolean()).isTrue();
		assertThat(after.get("disabled_reason").isNull()).isTrue();
		assertThat(after.get("description").isNull()).isTrue();
		assertThat(after.get("event_types")).isEmpty();
		assertThat(after.get("states")).hasSize(1);

		assertThat(hooks.call("DELETE", id + "/", "").status()).isEqualTo(204);
		assertThat(hooks.get(id + "/").status()).isEqualTo(404);
		assertThat(hooks.call("DELETE", id + "/", "").status()).isEqualTo(404);

		// every change is in the admin audit log, made by the tenant's key, without the
		// secret
		HttpApi.Reply audit = this.http.get("/admin/audit?limit=50&tenant_id=" + tenant.id())
			.key(IntegrationTest.ADMIN_TOKEN)
			.send();
		assertThat(audit.status()).as(audit.toString()).isEqualTo(200);
		List<String> actions = new ArrayList<>();
		audit.json().get("results").forEach((entry) -> {
			if (entry.get("action").asString().startsWith("webhook.")) {
				actions.add(entry.get("action").asString());
				assertThat(entry.get("actor").asString()).startsWith("key:");
				assertThat(entry.get("target").asString()).endsWith("/webhooks/" + id);
			}
		});
		assertThat(actions).containsExactly("webhook.deleted", "webhook.updated", "webhook.updated", "webhook.created");
		assertThat(audit.body()).doesNotContain(content.get("secret").asString());
	}

}
