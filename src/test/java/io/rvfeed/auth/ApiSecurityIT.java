package io.rvfeed.auth;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.rvfeed.support.HttpApi;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.SseClient;
import io.rvfeed.support.TestTenants;
import io.rvfeed.support.WriteApi;

import static io.rvfeed.support.ErrorAssertions.assertStandardError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every /api/ endpoint, three ways: without a key (401), with a key lacking the scope
 * (403), and with another tenant's key, which never sees or changes the first tenant's
 * data and gets exactly the answers a missing object gets.
 */
class ApiSecurityIT extends ServiceTest {

	TestTenants.TestTenant owner;

	UUID session;

	@BeforeEach
	void setUp() {
		this.owner = this.tenants.create();
		this.session = write(this.owner).createSession(UUID.randomUUID(), "2026-10-01T10:00:00Z");
	}

	record Endpoint(String method, String path, String body, Scope scope) {
	}

	private List<Endpoint> endpoints() {
		return List.of(new Endpoint("GET", "/api/v2/rv-activity-feed/", null, Scope.FEED_READ),
				new Endpoint("GET", "/api/v2/rv-activity-feed/export", null, Scope.FEED_READ),
				new Endpoint("GET", "/api/v2/rv-sessions/" + this.session + "/", null, Scope.FEED_READ),
				new Endpoint("POST", "/api/v2/rv-sessions/",
						"{\"device_id\":\"" + UUID.randomUUID() + "\",\"device_name\":\"x\"}", Scope.SESSIONS_WRITE),
				new Endpoint("POST", "/api/v2/rv-sessions/" + this.session + "/events/", "{\"state\":\"ACTIVE\"}",
						Scope.SESSIONS_WRITE),
				new Endpoint("POST", "/api/v2/rv-sessions/events:batch",
						"[{\"session_id\":\"" + this.session + "\",\"state\":\"ACTIVE\"}]", Scope.SESSIONS_WRITE));
	}

	private HttpApi.Reply call(Endpoint endpoint, String key) {
		HttpApi.Call call = this.api.request(endpoint.method(), endpoint.path(), endpoint.body());
		if (endpoint.body() != null) {
			call.header("Content-Type", "application/json");
		}
		if (key != null) {
			call.key(key);
		}
		return call.send();
	}

	@Test
	void everyEndpointWithoutAValidKeyIs401() throws Exception {
		for (Endpoint endpoint : endpoints()) {
			assertStandardError(call(endpoint, null), 401);
			assertStandardError(call(endpoint, "rvf_" + "x".repeat(40)), 401);
		}
		try (SseClient stream = new SseClient(url("/api/v2/rv-activity-feed/stream"), "rvf_wrong", null)) {
			assertThat(stream.status()).isEqualTo(401);
		}
		assertSessionUnchanged();
	}

	@Test
	void everyEndpointWithoutItsScopeIs403() throws Exception {
		String readOnly = this.tenants.addKey(this.owner.id(), "read only", EnumSet.of(Scope.FEED_READ));
		String writeOnly = this.tenants.addKey(this.owner.id(), "write only", EnumSet.of(Scope.SESSIONS_WRITE));
		for (Endpoint endpoint : endpoints()) {
			String lacking = (endpoint.scope() == Scope.FEED_READ) ? writeOnly : readOnly;
			HttpApi.Reply reply = call(endpoint, lacking);
			assertStandardError(reply, 403);
			assertThat(reply.json().get("message").asString()).contains(endpoint.scope().value());
		}
		try (SseClient stream = new SseClient(url("/api/v2/rv-activity-feed/stream"), writeOnly, null)) {
			assertThat(stream.status()).isEqualTo(403);
		}
		assertSessionUnchanged();
	}

	@Test
	void anotherTenantNeitherSeesNorChangesTheData() throws Exception {
		TestTenants.TestTenant stranger = this.tenants.create();
		HttpApi.Reply feed = this.api.get("/api/v2/rv-activity-feed/").key(stranger.key()).send();
		assertThat(feed.json().get("content").get("count").asLong()).isZero();
		assertThat(this.api.get("/api/v2/rv-activity-feed/export?format=ndjson").key(stranger.key()).send().body())
			.isEmpty();

		UUID missing = UUID.randomUUID();
		HttpApi.Reply foreignRead = this.api.get("/api/v2/rv-sessions/" + this.session + "/")
			.key(stranger.key())
			.send();
		HttpApi.Reply missingRead = this.api.get("/api/v2/rv-sessions/" + missing + "/").key(stranger.key()).send();
		assertStandardError(foreignRead, 404);
		assertThat(foreignRead.body().replace(this.session.toString(), "ID"))
			.isEqualTo(missingRead.body().replace(missing.toString(), "ID"));

		WriteApi strangerWrites = write(stranger);
		HttpApi.Reply foreignEvent = strangerWrites.event(this.session, "FAILED", "2026-10-01T10:01:00Z");
		HttpApi.Reply missingEvent = strangerWrites.event(missing, "FAILED", "2026-10-01T10:01:00Z");
		assertStandardError(foreignEvent, 404);
		assertThat(foreignEvent.body().replace(this.session.toString(), "ID"))
			.isEqualTo(missingEvent.body().replace(missing.toString(), "ID"));

		JsonNode batch = strangerWrites
			.batch("{\"session_id\":\"" + this.session + "\",\"state\":\"FAILED\"}\n", "application/x-ndjson")
			.json();
		assertThat(batch.get("content").get("results").get(0).get("result").asString()).isEqualTo("not_found");

		// the same session id in another tenant is another session
		assertThat(strangerWrites.createSession(this.session, "2026-10-02T10:00:00Z")).isEqualTo(this.session);
		assertThat(strangerWrites.event(this.session, "FAILED", "2026-10-02T10:01:00Z").status()).isEqualTo(201);

		try (SseClient stream = new SseClient(url("/api/v2/rv-activity-feed/stream"), stranger.key(), null)) {
			assertThat(stream.status()).isEqualTo(200);
			write(this.owner).event(this.session, "ACTIVE", "2026-10-01T10:00:05Z");
			// positive control: the stranger's own change, committed after the owner's,
			// arrives
			UUID strangersOwn = strangerWrites.createSession(UUID.randomUUID(), "2026-10-02T11:00:00Z");
			List<SseClient.Event> events = stream.awaitUntil(
					(received) -> received.stream().anyMatch((event) -> event.data().contains(strangersOwn.toString())),
					Duration.ofSeconds(20));
			assertThat(events).extracting((event) -> HttpApi.json(event.data()).get("session_id").asString())
				.contains(strangersOwn.toString());
			assertThat(events).allSatisfy((event) -> assertThat(HttpApi.json(event.data()).get("created_at").asString())
				.startsWith("2026-10-02T"));
		}
		JsonNode own = write(this.owner).feedRow(this.session);
		assertThat(own.get("state").asString()).isEqualTo("ACTIVE");
		assertThat(own.get("created_at").asString()).isEqualTo("2026-10-01T10:00:00Z");
	}

	private void assertSessionUnchanged() {
		JsonNode row = write(this.owner).feedRow(this.session);
		assertThat(row.get("state").asString()).isEqualTo("INITIATED");
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

}
