package io.rvfeed.feed;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.rvfeed.support.Csv;
import io.rvfeed.support.FeedApi;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.TestTenants;
import io.rvfeed.support.WriteApi;

import static io.rvfeed.support.ErrorAssertions.assertStandardError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules the README and docs/api-guide.md state that no other test held: each is checked
 * on both sides of its line (what the rule allows passes, what it forbids is refused).
 */
class DocumentedRulesIT extends ServiceTest {

	TestTenants.TestTenant tenant;

	WriteApi write;

	@BeforeEach
	void setUp() {
		this.tenant = this.tenants.create();
		this.write = write(this.tenant);
	}

	/** api-guide: list parameters take at most 50 items. */
	@Test
	void listParametersTakeAtMostFiftyItems() {
		for (String parameter : List.of("states", "video_qualities")) {
			String value = parameter.equals("states") ? "ACTIVE" : "STANDARD";
			String fifty = String.join(",", java.util.Collections.nCopies(50, value));
			assertThat(this.api.get(this.tenant, parameter + "=" + fifty).status()).as(parameter).isEqualTo(200);
			FeedApi.assertBadRequest(this.api.get(this.tenant, parameter + "=" + fifty + "," + value), parameter);
			// repeating the parameter adds items to the same list
			FeedApi.assertBadRequest(this.api.get(this.tenant, parameter + "=" + fifty + "&" + parameter + "=" + value),
					parameter);
		}
	}

	/** api-guide: each ordering key may appear once. */
	@Test
	void anOrderingKeyRepeatedIsRefused() {
		assertThat(this.api.get(this.tenant, "ordering=state,-created_at").status()).isEqualTo(200);
		FeedApi.assertBadRequest(this.api.get(this.tenant, "ordering=state,state"), "ordering");
		FeedApi.assertBadRequest(this.api.get(this.tenant, "ordering=state,-state"), "ordering");
	}

	/** api-guide: X-Caller-Id has no control characters. */
	@Test
	void controlCharactersInTheCallerIdAreRefused() {
		String session = "{\"device_id\":\"" + UUID.randomUUID() + "\",\"device_name\":\"Kiosk\"}";
		HttpApi.Reply fine = this.api.post("/api/v2/rv-sessions/", session)
			.key(this.tenant.key())
			.header("X-Caller-Id", "ops@example.com")
			.send();
		assertThat(fine.status()).as(fine.toString()).isEqualTo(201);
		assertThat(fine.json().get("content").get("created_by").asString()).isEqualTo("ops@example.com");
		HttpApi.Reply tab = this.api.post("/api/v2/rv-sessions/", session)
			.key(this.tenant.key())
			.header("X-Caller-Id", "ops\texample")
			.send();
		assertStandardError(tab, 400);
		assertThat(tab.json().get("message").asString()).contains("X-Caller-Id");
		HttpApi.RawReply bell = this.api.raw("GET", "/api/v2/rv-activity-feed/",
				"Authorization: Bearer " + this.tenant.key(), "X-Caller-Id: ops\u0007bell");
		// refused by the server's header parser before the service sees it, in the same
		// body
		assertThat(bell.status()).isEqualTo(400);
		assertThat(bell.json().get("status").asInt()).isEqualTo(400);
	}

	/** README: a CSV cell starting with tab or CR gets a leading apostrophe. */
	@Test
	void csvCellsStartingWithTabOrCarriageReturnAreDefused() {
		this.fixtures.insert(this.fixtures.session(this.tenant).deviceName("\tTabbed").reason("\rReturned"),
				this.fixtures.session(this.tenant).deviceName("Plain\tinside").reason("plain"));
		HttpApi.Reply export = this.api.get("/api/v2/rv-activity-feed/export?format=csv&ordering=created_at")
			.key(this.tenant.key())
			.send();
		assertThat(export.status()).isEqualTo(200);
		List<List<String>> records = Csv.parse(export.body());
		assertThat(records).hasSize(3);
		assertThat(records.get(1).get(2)).isEqualTo("'\tTabbed");
		assertThat(records.get(1).get(7)).isEqualTo("'\rReturned");
		// only a leading one
		assertThat(records.get(2).get(2)).isEqualTo("Plain\tinside");
		assertThat(records.get(2).get(7)).isEqualTo("plain");
	}

	/**
	 * api-guide: the same event_id with a different updated_by, when given, is a 409;
	 * without updated_by it is a duplicate.
	 */
	@Test
	void anEventIdReusedWithAnotherUpdatedByIsAConflict() {
		UUID session = this.write.createSession(UUID.randomUUID(), "2026-05-01T10:00:00Z");
		UUID eventId = UUID.randomUUID();
		String event = "{\"event_id\":\"" + eventId
				+ "\",\"state\":\"ACTIVE\",\"occurred_at\":\"2026-05-01T10:00:05Z\",\"updated_by\":\"%s\"}";
		assertThat(this.write.event(session, event.formatted("device")).status()).isEqualTo(201);
		assertThat(this.write.event(session, event.formatted("device")).status()).isEqualTo(200);
		HttpApi.Reply other = this.write.event(session, event.formatted("someone-else"));
		assertStandardError(other, 409);
		HttpApi.Reply withoutBy = this.write.event(session,
				"{\"event_id\":\"" + eventId + "\",\"state\":\"ACTIVE\",\"occurred_at\":\"2026-05-01T10:00:05Z\"}");
		assertThat(withoutBy.status()).as(withoutBy.toString()).isEqualTo(200);
		JsonNode timeline = this.write.session(session).json().get("content").get("events");
		assertThat(timeline).hasSize(2);
		assertThat(timeline.get(1).get("by").asString()).isEqualTo("device");
	}

	/** api-guide: NDJSON batches skip blank lines, and index counts the other lines. */
	@Test
	void blankLinesOfAnNdjsonBatchAreSkipped() {
		UUID a = this.write.createSession(UUID.randomUUID(), "2026-05-02T10:00:00Z");
		UUID b = this.write.createSession(UUID.randomUUID(), "2026-05-02T10:00:00Z");
		String body = "\n{\"session_id\":\"" + a + "\",\"state\":\"ACTIVE\"}\n\n   \n\t\n{\"session_id\":\"" + b
				+ "\",\"state\":\"FAILED\"}\n\n";
		HttpApi.Reply reply = this.write.batch(body, "application/x-ndjson");
		assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
		JsonNode results = reply.json().get("content").get("results");
		assertThat(results).hasSize(2);
		assertThat(results.get(0).get("index").asInt()).isEqualTo(0);
		assertThat(results.get(0).get("result").asString()).isEqualTo("applied");
		assertThat(results.get(1).get("index").asInt()).isEqualTo(1);
		assertThat(results.get(1).get("result").asString()).isEqualTo("applied");
		assertThat(this.write.session(b).json().get("content").get("state").asString()).isEqualTo("FAILED");
		// only blank lines: no items, a 400
		assertStandardError(this.write.batch("\n \n\n", "application/x-ndjson"), 400);
	}

	/**
	 * operations.md: PUT sets a key's own rate limit, DELETE returns it to the default.
	 */
	@Test
	void aKeysRateLimitIsSetAndResetThroughTheAdminApi() {
		HttpApi.Reply created = this.api
			.post("/admin/tenants/" + this.tenant.id() + "/keys", "{\"name\":\"limited\",\"scopes\":[\"feed:read\"]}")
			.key(IntegrationTest.ADMIN_TOKEN)
			.send();
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		String key = created.json().get("api_key").asString();
		String keyId = created.json().get("key").get("key_id").asString();
		String path = "/admin/tenants/" + this.tenant.id() + "/keys/" + keyId + "/rate-limit";
		assertThat(this.api.get("/api/v2/rv-activity-feed/").key(key).send().header("RateLimit-Limit"))
			.isEqualTo(String.valueOf(IntegrationTest.DEFAULT_RATE));

		HttpApi.Reply set = this.api.request("PUT", path, "{\"requests_per_second\":50,\"burst\":100}")
			.key(IntegrationTest.ADMIN_TOKEN)
			.header("Content-Type", "application/json")
			.send();
		assertThat(set.status()).as(set.toString()).isEqualTo(200);
		assertThat(this.api.get("/api/v2/rv-activity-feed/").key(key).send().header("RateLimit-Limit"))
			.isEqualTo("100");

		HttpApi.Reply reset = this.api.request("DELETE", path, null).key(IntegrationTest.ADMIN_TOKEN).send();
		assertThat(reset.status()).as(reset.toString()).isEqualTo(200);
		assertThat(this.api.get("/api/v2/rv-activity-feed/").key(key).send().header("RateLimit-Limit"))
			.isEqualTo(String.valueOf(IntegrationTest.DEFAULT_RATE));

		// the key's own limit is its own: a key of another tenant, or no key, is a 404
		TestTenants.TestTenant other = this.tenants.create();
		assertStandardError(
				this.api.request("DELETE", "/admin/tenants/" + other.id() + "/keys/" + keyId + "/rate-limit", null)
					.key(IntegrationTest.ADMIN_TOKEN)
					.send(),
				404);
	}

}
