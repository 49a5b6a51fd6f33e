package io.rvfeed.feed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import io.rvfeed.support.CursorFeed;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.SseClient;
import io.rvfeed.support.TestTenants;
import io.rvfeed.support.WriteApi;
import io.rvfeed.web.FeedCursor;

import static io.rvfeed.support.ErrorAssertions.assertStandardError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live stream sends each committed change, and a reconnect with Last-Event-ID misses
 * none.
 */
class FeedStreamIT extends ServiceTest {

	private static final Duration WAIT = Duration.ofSeconds(20);

	TestTenants.TestTenant tenant;

	WriteApi write;

	@BeforeEach
	void setUp() {
		this.tenant = this.tenants.create();
		this.write = write(this.tenant);
	}

	private String url(String query) {
		return "http://localhost:" + this.port + "/api/v2/rv-activity-feed/stream" + query;
	}

	/** The latest state each session was streamed in. */
	private static Map<String, String> latestStates(List<SseClient.Event> events) {
		Map<String, String> states = new HashMap<>();
		for (SseClient.Event event : events) {
			JsonNode session = HttpApi.json(event.data());
			states.put(session.get("session_id").asString(), session.get("state").asString());
		}
		return states;
	}

	@Test
	void aReconnectWithLastEventIdMissesNothing() throws Exception {
		List<String> first = new ArrayList<>();
		List<SseClient.Event> before;
		try (SseClient stream = new SseClient(url(""), this.tenant.key(), null)) {
			assertThat(stream.status()).isEqualTo(200);
			for (int i = 0; i < 5; i++) {
				first.add(this.write.createSession(UUID.randomUUID(), "2026-08-01T10:0" + i + ":00Z").toString());
			}
			before = stream.awaitUntil((events) -> latestStates(events).keySet().containsAll(first), WAIT);
		}
		assertThat(latestStates(before)).containsOnlyKeys(first);
		before.forEach((event) -> assertThat(event.name()).isEqualTo("session"));
		String lastId = before.get(before.size() - 1).id();

		// while nobody listens: new sessions, and changes to earlier ones
		List<String> later = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			later.add(this.write.createSession(UUID.randomUUID(), "2026-08-01T11:0" + i + ":00Z").toString());
		}
		this.write.event(UUID.fromString(first.get(0)), "ACTIVE", "2026-08-01T10:00:05Z");
		this.write.event(UUID.fromString(first.get(1)), "FAILED", "2026-08-01T10:01:05Z");
		this.write.event(UUID.fromString(later.get(4)), "TERMINATED", "2026-08-01T11:04:05Z");

		Map<String, String> expected = new HashMap<>();
		later.forEach((id) -> expected.put(id, "INITIATED"));
		expected.put(later.get(4), "TERMINATED");
		expected.put(first.get(0), "ACTIVE");
		expected.put(first.get(1), "FAILED");
		try (SseClient resumed = new SseClient(url(""), this.tenant.key(), lastId)) {
			List<SseClient.Event> after = resumed.awaitUntil((events) -> latestStates(events).equals(expected), WAIT);
			assertThat(latestStates(after)).isEqualTo(expected);
			List<String> ids = after.stream().map(SseClient.Event::id).toList();
			assertThat(ids).doesNotHaveDuplicates();
			assertThat(ids).allSatisfy((id) -> assertThat(position(id)).isGreaterThan(position(lastId)));
		}
	}

	private FeedCursor position(String id) {
		return FeedCursor.decode(id, FeedCursor.Kind.CHANGES, this.tenant.id(), "id");
	}

	@Test
	void streamIdsAreChangeCursorsAndOldIdsStillResume() throws Exception {
		UUID before = this.write.createSession(UUID.randomUUID(), "2026-08-05T10:00:00Z");
		// the changes feed's cursor resumes the stream, and the stream's ids the feed
		String cursor = new CursorFeed(new HttpApi(this.port), this.tenant.key(), "/api/v2/rv-activity-feed/changes",
				"")
			.drainAtLeast(1)
			.get(0)
			.get("cursor")
			.asString();
		UUID after = this.write.createSession(UUID.randomUUID(), "2026-08-05T10:01:00Z");
		String streamed;
		try (SseClient stream = new SseClient(url(""), this.tenant.key(), cursor)) {
			List<SseClient.Event> events = stream
				.awaitUntil((received) -> latestStates(received).containsKey(after.toString()), WAIT);
			assertThat(latestStates(events)).containsOnlyKeys(after.toString());
			streamed = events.get(0).id();
		}
		HttpApi.Reply fromStreamId = new HttpApi(this.port).get("/api/v2/rv-activity-feed/changes?cursor=" + streamed)
			.key(this.tenant.key())
			.send();
		assertThat(fromStreamId.json().get("content").get("results")).isEmpty();
		// an id as streams sent them before cursors: <tx>.<seq>
		FeedCursor position = position(cursor);
		try (SseClient legacy = new SseClient(url(""), this.tenant.key(), position.tx() + "." + position.seq())) {
			List<SseClient.Event> events = legacy
				.awaitUntil((received) -> latestStates(received).containsKey(after.toString()), WAIT);
			assertThat(latestStates(events)).containsOnlyKeys(after.toString()).doesNotContainKey(before.toString());
		}
	}

	@Test
	void aPositionNotReachedYetOrNotOfThisTenantIsRefused() throws Exception {
		try (SseClient future = new SseClient(url(""), this.tenant.key(), "999999999.1")) {
			assertThat(future.status()).isEqualTo(400);
		}
		try (SseClient future = new SseClient(url("?last_event_id=999999999.1"), this.tenant.key(), null)) {
			assertThat(future.status()).isEqualTo(400);
		}
		String theirs = new FeedCursor(FeedCursor.Kind.CHANGES, UUID.randomUUID(), 1, 1).encode();
		try (SseClient foreign = new SseClient(url(""), this.tenant.key(), theirs)) {
			assertThat(foreign.status()).isEqualTo(400);
		}
		String events = new FeedCursor(FeedCursor.Kind.EVENTS, this.tenant.id(), 1, 1).encode();
		try (SseClient otherFeed = new SseClient(url(""), this.tenant.key(), events)) {
			assertThat(otherFeed.status()).isEqualTo(400);
		}
		HttpApi.Reply named = new HttpApi(this.port).get("/api/v2/rv-activity-feed/stream?last_event_id=999999999.1")
			.key(this.tenant.key())
			.header("Accept", "text/event-stream")
			.send();
		assertStandardError(named, 400);
		assertThat(named.json().get("message").asString())
			.startsWith("Parameter 'last_event_id' points past the newest position");
	}

	@Test
	void theStreamAppliesTheFeedsFilters() throws Exception {
		UUID quiet = this.write.createSession(UUID.randomUUID(), "2026-08-02T10:00:00Z");
		UUID failing = this.write.createSession(UUID.randomUUID(), "2026-08-02T10:00:00Z");
		try (SseClient stream = new SseClient(url("?states=failed"), this.tenant.key(), null)) {
			this.write.event(quiet, "ACTIVE", "2026-08-02T10:00:05Z");
			this.write.event(failing, "FAILED", "2026-08-02T10:00:06Z");
			List<SseClient.Event> events = stream
				.awaitUntil((received) -> latestStates(received).containsKey(failing.toString()), WAIT);
			assertThat(latestStates(events)).containsOnlyKeys(failing.toString());
		}
	}

	@Test
	void aNewStreamStartsWithChangesFromNowOnAndSeesOtherWriters() throws Exception {
		UUID old = this.write.createSession(UUID.randomUUID(), "2026-08-03T10:00:00Z");
		try (SseClient stream = new SseClient(url(""), this.tenant.key(), null)) {
			UUID fresh = this.write.createSession(UUID.randomUUID(), "2026-08-03T10:01:00Z");
			List<SseClient.Event> events = stream
				.awaitUntil((received) -> latestStates(received).containsKey(fresh.toString()), WAIT);
			Set<String> seen = latestStates(events).keySet();
			assertThat(seen).contains(fresh.toString()).doesNotContain(old.toString());
		}
	}

	@Test
	void streamsKeepTheFeedsAccessRules() throws Exception {
		try (SseClient anonymous = new SseClient(url(""), "rvf_not-a-key", null)) {
			assertThat(anonymous.status()).isEqualTo(401);
		}
		try (SseClient badResume = new SseClient(url(""), this.tenant.key(), "yesterday")) {
			assertThat(badResume.status()).isEqualTo(400);
		}
		try (SseClient badFilter = new SseClient(url("?states=BOGUS"), this.tenant.key(), null)) {
			assertThat(badFilter.status()).isEqualTo(400);
		}
		TestTenants.TestTenant other = this.tenants.create();
		try (SseClient theirs = new SseClient(url(""), other.key(), null)) {
			assertThat(theirs.status()).isEqualTo(200);
			UUID mine = this.write.createSession(UUID.randomUUID(), "2026-08-04T10:00:00Z");
			// positive control: their own change, committed after mine, arrives on their
			// stream
			UUID their = write(other).createSession(UUID.randomUUID(), "2026-08-04T10:01:00Z");
			List<SseClient.Event> events = theirs
				.awaitUntil((received) -> latestStates(received).containsKey(their.toString()), WAIT);
			assertThat(latestStates(events)).containsOnlyKeys(their.toString());
			assertThat(events.stream().map(SseClient.Event::data).collect(Collectors.joining()))
				.doesNotContain(mine.toString());
		}
	}

}
