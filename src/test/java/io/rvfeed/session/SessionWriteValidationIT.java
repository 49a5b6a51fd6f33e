package io.rvfeed.session;

import java.util.EnumSet;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.rvfeed.auth.Scope;
import io.rvfeed.support.ErrorAssertions;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.TestTenants;
import io.rvfeed.support.WriteApi;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad writes get a 4xx in the standard body naming the field; nothing is stored. */
class SessionWriteValidationIT extends ServiceTest {

	TestTenants.TestTenant tenant;

	WriteApi write;

	@BeforeEach
	void setUp() {
		this.tenant = this.tenants.create();
		this.write = write(this.tenant);
	}

	private static JsonNode assertError(HttpApi.Reply reply, int status, String... mentions) {
		ErrorAssertions.assertStandardError(reply, status);
		JsonNode body = reply.json();
		String all = body.get("message").asString() + " " + body.get("errors").toString();
		for (String mention : mentions) {
			assertThat(all).contains(mention);
		}
		assertThat(reply.body()).doesNotContain("Exception").doesNotContain("tools.jackson");
		return body;
	}

	@Test
	void createDefaultsAndLocation() {
		UUID device = UUID.randomUUID();
		HttpApi.Reply reply = this.api
			.post("/api/v2/rv-sessions", "{\"device_id\":\"" + device + "\",\"device_name\":\"Till 4\"}")
			.key(this.tenant.key())
			.header("X-Caller-Id", "ops-console")
			.send();
		assertThat(reply.status()).isEqualTo(201);
		JsonNode session = reply.json().get("content");
		assertThat(reply.header("Location"))
			.isEqualTo("/api/v2/rv-sessions/" + session.get("session_id").asString() + "/");
		// made up by the service: time-ordered
		assertThat(UUID.fromString(session.get("session_id").asString()).version()).isEqualTo(7);
		assertThat(session.get("state").asString()).isEqualTo("INITIATED");
		assertThat(session.get("video_quality").asString()).isEqualTo("STANDARD");
		assertThat(session.get("created_by").asString()).isEqualTo("ops-console");
		assertThat(session.get("device_alias").isNull()).isTrue();
		assertThat(session.get("device_state").isNull()).isTrue();
		HttpApi.Reply withoutCaller = this.write
			.create("{\"device_id\":\"" + device + "\",\"device_name\":\"Till 4\",\"video_quality\":\"data_saver\"}");
		assertThat(withoutCaller.json().get("content").get("created_by").asString()).isEqualTo("test key");
		assertThat(withoutCaller.json().get("content").get("video_quality").asString()).isEqualTo("DATA_SAVER");
	}

	@Test
	void retryingACreateIsIdempotentAndAChangedRetryConflicts() {
		UUID id = UUID.randomUUID();
		String body = "{\"session_id\":\"" + id + "\",\"device_id\":\"" + UUID.randomUUID()
				+ "\",\"device_name\":\"Kiosk\",\"device_state\":60,\"created_at\":\"2026-01-01T00:00:00Z\"}";
		HttpApi.Reply first = this.write.create(body);
		assertThat(first.status()).isEqualTo(201);
		HttpApi.Reply again = this.write.create(body);
		assertThat(again.status()).isEqualTo(200);
		assertThat(again.json()).isEqualTo(first.json());
		assertError(this.write.create(body.replace("\"device_state\":60", "\"device_state\":1")), 409, "device_state",
				id.toString());
		assertThat(this.write.session(id).json().get("content").get("events")).hasSize(1);
	}

	@Test
	void createNamesEveryBadField() {
		assertError(this.write
			.create("{\"session_id\":\"nope\",\"device_id\":12,\"device_name\":\"\",\"device_alias\":[1],\"device_state\":7,"
					+ "\"video_quality\":\"HD\",\"created_at\":\"2026-02-30T00:00:00Z\",\"created_by\":false,\"colour\":1}"),
				400, "session_id", "device_id", "device_name", "device_alias", "device_state", "video_quality",
				"created_at", "created_by", "colour");
		assertError(this.write.create("{\"device_name\":\"x\"}"), 400, "device_id", "required");
		assertError(
				this.write.create(
						"{\"device_id\":\"" + UUID.randomUUID() + "\",\"device_name\":\"" + "x".repeat(256) + "\"}"),
				400, "device_name", "255");
		assertError(this.write.create("[1,2]"), 400, "JSON object");
		assertError(this.write.create("{\"device_id\":"), 400, "not valid JSON");
		assertError(this.write.create(""), 400, "empty");
		assertError(
				this.write.create(
						"{\"device_id\":\"" + UUID.randomUUID() + "\",\"device_name\":\"a\",\"device_name\":\"b\"}"),
				400, "not valid JSON");
		assertError(this.write.create("{\"device_id\":\"" + UUID.randomUUID() + "\",\"device_name\":\"a\\u0000b\"}"),
				400, "device_name", "NUL");
	}

	@Test
	void eventNamesEveryBadField() {
		UUID session = this.write.createSession(UUID.randomUUID(), "2026-01-01T00:00:00Z");
		assertError(this.write.event(session, "{\"state\":\"PAUSED\"}"), 400, "state", "ACKNOWLEDGED, ACTIVE");
		assertError(this.write.event(session, "{\"state\":\"INITIATED\"}"), 400, "state");
		assertError(this.write.event(session, "{}"), 400, "state", "required");
		assertError(this.write.event(session,
				"{\"state\":\"ACTIVE\",\"event_id\":\"x\",\"occurred_at\":\"noon\",\"reason\":5,\"updated_by\":{}}"),
				400, "event_id", "occurred_at", "reason", "updated_by");
		assertError(this.write.event(session, "{\"state\":\"FAILED\",\"reason\":\"" + "r".repeat(1001) + "\"}"), 400,
				"reason", "1000");
		assertThat(this.write.event(session, "{\"state\":\"FAILED\",\"reason\":\"" + "r".repeat(1000) + "\"}").status())
			.isEqualTo(201);
		assertError(this.api.post("/api/v2/rv-sessions/not-a-uuid/events/", "{\"state\":\"ACTIVE\"}")
			.key(this.tenant.key())
			.send(), 400, "session id");
	}

	@Test
	void eventsForUnknownOrForeignSessionsAre404Alike() {
		UUID foreign = write(this.tenants.create()).createSession(UUID.randomUUID(), "2026-01-01T00:00:00Z");
		UUID missing = UUID.randomUUID();
		JsonNode foreignError = assertError(this.write.event(foreign, "ACTIVE", "2026-01-01T00:01:00Z"), 404);
		JsonNode missingError = assertError(this.write.event(missing, "ACTIVE", "2026-01-01T00:01:00Z"), 404);
		assertThat(foreignError.get("message").asString().replace(foreign.toString(), "ID"))
			.isEqualTo(missingError.get("message").asString().replace(missing.toString(), "ID"));
		HttpApi.Reply foreignRead = this.write.session(foreign);
		HttpApi.Reply missingRead = this.write.session(missing);
		assertError(foreignRead, 404);
		assertError(missingRead, 404);
		assertThat(foreignRead.body().replace(foreign.toString(), "ID"))
			.isEqualTo(missingRead.body().replace(missing.toString(), "ID"));
	}

	@Test
	void bodiesOverOneMebibyteAre413() {
		String huge = "{\"device_id\":\"" + UUID.randomUUID() + "\",\"device_name\":\"" + "x".repeat(1024 * 1024)
				+ "\"}";
		assertError(this.write.create(huge), 413, "1048576 bytes");
	}

	@Test
	void wrongContentTypeIs415() {
		HttpApi.Reply reply = this.api.request("POST", "/api/v2/rv-sessions/", "device_id=1")
			.key(this.tenant.key())
			.header("Content-Type", "application/x-www-form-urlencoded")
			.send();
		assertError(reply, 415, "application/json");
	}

	@Test
	void writesNeedTheWriteScopeAndReadsTheReadScope() {
		TestTenants.TestTenant reader = this.tenants.create(EnumSet.of(Scope.FEED_READ));
		WriteApi readOnly = write(reader);
		assertError(readOnly.create("{\"device_id\":\"" + UUID.randomUUID() + "\",\"device_name\":\"x\"}"), 403,
				"sessions:write");
		String writerKey = this.tenants.addKey(reader.id(), "writer", EnumSet.of(Scope.SESSIONS_WRITE));
		WriteApi writeOnly = new WriteApi(this.api, writerKey);
		UUID session = writeOnly.createSession(UUID.randomUUID(), "2026-01-01T00:00:00Z");
		assertError(readOnly.event(session, "ACTIVE", "2026-01-01T00:01:00Z"), 403, "sessions:write");
		assertError(readOnly.batch("[]", "application/json"), 403, "sessions:write");
		assertError(writeOnly.session(session), 403, "feed:read");
		assertThat(readOnly.session(session).status()).isEqualTo(200);
	}

	@Test
	void everyWriteEndpointNeedsAKey() {
		UUID id = UUID.randomUUID();
		assertError(this.api.post("/api/v2/rv-sessions/", "{}").send(), 401);
		assertError(this.api.post("/api/v2/rv-sessions/" + id + "/events/", "{}").send(), 401);
		assertError(this.api.post("/api/v2/rv-sessions/events:batch", "[]").send(), 401);
		assertError(this.api.get("/api/v2/rv-sessions/" + id + "/").send(), 401);
		assertError(this.api.post("/api/v2/rv-sessions/", "{}").key("rvf_wrong").send(), 401);
	}

}
