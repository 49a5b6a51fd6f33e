package io.rvfeed.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import io.rvfeed.session.EventRow;
import io.rvfeed.session.SessionRepository;
import io.rvfeed.session.SessionRow;
import io.rvfeed.session.SessionState;
import io.rvfeed.support.CommitHorizon;
import io.rvfeed.support.Csv;
import io.rvfeed.support.CursorFeed;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.SessionFixtures;
import io.rvfeed.support.TestTenants;
import io.rvfeed.support.WriteApi;
import io.rvfeed.web.FeedCursor;

import static io.rvfeed.support.ErrorAssertions.assertBadRequest;
import static io.rvfeed.support.ErrorAssertions.assertStandardError;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/v2/rv-session-events/} and its export. */
@IntegrationTest
class EventsFeedIT {

	private static final String EVENTS = "/api/v2/rv-session-events/";

	private static final String EXPORT = "/api/v2/rv-session-events/export";

	@LocalServerPort
	int port;

	@Autowired
	TestTenants tenants;

	@Autowired
	SessionFixtures fixtures;

	@Autowired
	SessionRepository sessions;

	@Autowired
	JdbcTemplate jdbc;

	TestTenants.TestTenant tenant;

	HttpApi api;

	WriteApi write;

	@BeforeEach
	void setUp() {
		this.tenant = this.tenants.create();
		this.api = new HttpApi(this.port);
		this.write = new WriteApi(this.api, this.tenant.key());
	}

	private HttpApi.Reply get(String pathAndQuery) {
		return this.api.get(pathAndQuery).key(this.tenant.key()).send();
	}

	/** Everything matching, once what this test wrote shows. */
	private List<JsonNode> all(String filters) {
		CommitHorizon.awaitPassedNow(this.jdbc);
		return new CursorFeed(this.api, this.tenant.key(), EVENTS, filters).drain();
	}

	private String recordedEvent(UUID session, String json) {
		HttpApi.Reply reply = this.write.event(session, json);
		assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
		return reply.json().get("content").get("event").get("event_id").asString();
	}

	@Test
	void everyRecordedEventComesOnceWithWhatItDidAndTheStateAfterIt() {
		UUID device = UUID.randomUUID();
		UUID session = UUID.randomUUID();
		assertThat(this.write
			.create("{\"session_id\":\"" + session + "\",\"device_id\":\"" + device
					+ "\",\"device_name\":\"Kiosk | 7\",\"created_at\":\"2026-09-01T10:00:00Z\"}")
			.status()).isEqualTo(201);
		String active = recordedEvent(session,
				"{\"state\":\"ACTIVE\",\"occurred_at\":\"2026-09-01T10:00:10Z\",\"updated_by\":\"device\"}");
		String lateAck = recordedEvent(session,
				"{\"state\":\"ACKNOWLEDGED\",\"occurred_at\":\"2026-09-01T10:00:05Z\"}");
		String repeat = recordedEvent(session, "{\"state\":\"ACTIVE\",\"occurred_at\":\"2026-09-01T10:00:11Z\"}");
		String end = recordedEvent(session, "{\"state\":\"TERMINATED\",\"occurred_at\":\"2026-09-01T10:05:00Z\","
				+ "\"reason\":\"Ended by console user\"}");
		// refused: a contradicting end is not an event
		assertThat(this.write.event(session, "FAILED", "2026-09-01T10:06:00Z").status()).isEqualTo(409);

		List<JsonNode> events = all("limit=2");
		assertThat(events).hasSize(5);
		JsonNode creation = events.get(0);
		assertThat(creation.get("state").asString()).isEqualTo("INITIATED");
		assertThat(creation.get("occurred_at").asString()).isEqualTo("2026-09-01T10:00:00Z");
		assertThat(creation.get("session_id").asString()).isEqualTo(session.toString());
		assertThat(creation.get("device_id").asString()).isEqualTo(device.toString());
		assertThat(creation.get("device_name").asString()).isEqualTo("Kiosk | 7");
		assertThat(events.subList(1, 5)).extracting((e) -> e.get("event_id").asString())
			.containsExactly(active, lateAck, repeat, end);
		assertThat(events)
			.extracting((e) -> e.get("state").asString() + " " + e.get("effect").asString() + " "
					+ e.get("session_state").asString())
			.containsExactly("INITIATED applied INITIATED", "ACTIVE applied ACTIVE",
					"ACKNOWLEDGED earlier_stage ACTIVE", "ACTIVE repeated_stage ACTIVE",
					"TERMINATED applied TERMINATED");
		assertThat(events.get(1).get("updated_by").asString()).isEqualTo("device");
		assertThat(events.get(4).get("reason").asString()).isEqualTo("Ended by console user");
		assertThat(Instant.parse(events.get(4).get("recorded_at").asString()))
			.isAfter(Instant.parse("2026-01-01T00:00:00Z"));
		List<FeedCursor> positions = events.stream()
			.map((e) -> FeedCursor.decode(e.get("cursor").asString(), FeedCursor.Kind.EVENTS, this.tenant.id(), "c"))
			.toList();
		assertThat(positions).isSorted().doesNotHaveDuplicates();
	}

	@Test
	void batchItemsAreEventsWithTheirEffects() {
		UUID a = this.write.createSession(UUID.randomUUID(), "2026-09-02T10:00:00Z");
		UUID b = this.write.createSession(UUID.randomUUID(), "2026-09-02T10:00:00Z");
		String body = "{\"session_id\":\"" + a
				+ "\",\"state\":\"TERMINATED\",\"occurred_at\":\"2026-09-02T10:09:00Z\"}\n" + "{\"session_id\":\"" + a
				+ "\",\"state\":\"ACTIVE\",\"occurred_at\":\"2026-09-02T10:01:00Z\"}\n" + "{\"session_id\":\"" + b
				+ "\",\"state\":\"ACKNOWLEDGED\",\"occurred_at\":\"2026-09-02T10:00:01Z\"}\n" + "{\"session_id\":\"" + b
				+ "\",\"state\":\"ACKNOWLEDGED\",\"occurred_at\":\"2026-09-02T10:00:02Z\"}\n" + "{\"session_id\":\"" + a
				+ "\",\"state\":\"FAILED\",\"occurred_at\":\"2026-09-02T10:10:00Z\"}\n";
		JsonNode results = this.write.batch(body, "application/x-ndjson").json().get("content").get("results");
		List<JsonNode> events = all("states=ACKNOWLEDGED,ACTIVE,TERMINATED,FAILED");
		assertThat(events).extracting((e) -> e.get("event_id").asString())
			.containsExactlyInAnyOrder(results.get(0).get("event_id").asString(),
					results.get(1).get("event_id").asString(), results.get(2).get("event_id").asString(),
					results.get(3).get("event_id").asString());
		assertThat(events)
			.extracting((e) -> e.get("session_id").asString().equals(a.toString()) + " " + e.get("state").asString()
					+ " " + e.get("effect").asString() + " " + e.get("session_state").asString())
			.containsExactlyInAnyOrder("true TERMINATED applied TERMINATED", "true ACTIVE earlier_stage TERMINATED",
					"false ACKNOWLEDGED applied ACKNOWLEDGED", "false ACKNOWLEDGED repeated_stage ACKNOWLEDGED");
	}

	@Test
	void eventsRecordedBeforeEffectsWereKeptGetThemDerived() {
		// rows as written before V21: no effect or state kept with them
		SessionRow row = this.fixtures.session(this.tenant).state(SessionState.TERMINATED).build();
		Instant at = row.createdAt();
		List<EventRow> history = List.of(event(row, SessionState.INITIATED, at),
				event(row, SessionState.TERMINATED, at.plusSeconds(60)),
				event(row, SessionState.ACTIVE, at.plusSeconds(10)),
				event(row, SessionState.TERMINATED, at.plusSeconds(61)));
		this.sessions.insertAll(List.of(row), history);
		assertThat(all(""))
			.extracting((e) -> e.get("state").asString() + " " + e.get("effect").asString() + " "
					+ e.get("session_state").asString())
			.containsExactly("INITIATED applied INITIATED", "TERMINATED applied TERMINATED",
					"ACTIVE earlier_stage TERMINATED", "TERMINATED repeated_stage TERMINATED");
	}

	private static EventRow event(SessionRow row, SessionState state, Instant at) {
		return new EventRow(row.tenantId(), UUID.randomUUID(), row.sessionId(), state, at, at, null, "fixture");
	}

	@Test
	void filtersSelectEvents() throws InterruptedException {
		UUID device = UUID.randomUUID();
		UUID one = UUID.randomUUID();
		this.write.create("{\"session_id\":\"" + one + "\",\"device_id\":\"" + device
				+ "\",\"device_name\":\"D\",\"created_at\":\"2026-09-03T10:00:00Z\"}");
		UUID two = this.write.createSession(UUID.randomUUID(), "2026-09-03T11:00:00Z");
		recordedEvent(one, "{\"state\":\"ACTIVE\",\"occurred_at\":\"2026-09-03T10:00:10Z\",\"updated_by\":\"eve\"}");
		Thread.sleep(20);
		Instant between = Instant.now();
		Thread.sleep(20);
		recordedEvent(two, "{\"state\":\"FAILED\",\"occurred_at\":\"2026-09-03T11:00:10Z\",\"updated_by\":\"Eve\"}");
		assertThat(states(all("session_id=" + one))).containsExactly("INITIATED", "ACTIVE");
		assertThat(states(all("device_id=" + device))).containsExactly("INITIATED", "ACTIVE");
		assertThat(states(all("states=failed,active"))).containsExactly("ACTIVE", "FAILED");
		assertThat(states(all("updated_by=eve"))).containsExactly("ACTIVE");
		assertThat(states(all("occurred_at_gte=2026-09-03T11:00:00Z"))).containsExactly("INITIATED", "FAILED");
		assertThat(states(all("occurred_at_lt=2026-09-03T10:00:10Z"))).containsExactly("INITIATED");
		assertThat(states(all("recorded_at_gt=" + between))).containsExactly("FAILED");
		assertThat(states(all("since=" + between))).containsExactly("FAILED");
		assertThat(states(all("recorded_at_lte=" + between))).containsExactly("INITIATED", "INITIATED", "ACTIVE");
	}

	private static List<String> states(List<JsonNode> events) {
		return events.stream().map((e) -> e.get("state").asString()).toList();
	}

	@Test
	void exportsCarryTheSameRecordsAfterTheCursor() {
		UUID session = this.write.createSession(UUID.randomUUID(), "2026-09-04T10:00:00Z");
		CursorFeed reader = new CursorFeed(this.api, this.tenant.key(), EVENTS, "");
		CommitHorizon.awaitPassedNow(this.jdbc);
		reader.drain();
		String after = reader.cursor();
		recordedEvent(session, "{\"state\":\"ACTIVE\",\"occurred_at\":\"2026-09-04T10:00:10Z\"}");
		recordedEvent(session,
				"{\"state\":\"FAILED\",\"occurred_at\":\"2026-09-04T10:00:20Z\",\"reason\":\"a=b\\\\c\\nd\"}");
		CommitHorizon.awaitPassedNow(this.jdbc);
		List<JsonNode> expected = reader.drain();
		assertThat(expected).hasSize(2);

		HttpApi.Reply ndjson = get(EXPORT + "?format=ndjson&cursor=" + after);
		assertThat(ndjson.status()).isEqualTo(200);
		assertThat(ndjson.header("Content-Type")).startsWith("application/x-ndjson");
		assertThat(ndjson.header("Content-Disposition"))
			.matches("attachment; filename=\"rv-session-events-.*\\.ndjson\"");
		assertThat(ndjson.body().lines().map(HttpApi::json).toList()).isEqualTo(expected);

		HttpApi.Reply csv = get(EXPORT + "?cursor=" + after);
		assertThat(csv.header("Content-Type")).startsWith("text/csv");
		List<List<String>> rows = Csv.parse(csv.body());
		assertThat(rows.get(0)).containsExactly(EventsExportController.CSV_HEADER);
		assertThat(rows).hasSize(3);
		assertThat(rows.get(2)).containsExactly(expected.get(1).get("event_id").asString(), session.toString(),
				expected.get(1).get("device_id").asString(), expected.get(1).get("device_name").asString(), "FAILED",
				"2026-09-04T10:00:20Z", expected.get(1).get("recorded_at").asString(), "a=b\\c\nd",
				expected.get(1).get("updated_by").asString(), "applied", "FAILED",
				expected.get(1).get("cursor").asString());

		HttpApi.Reply cef = get(EXPORT + "?format=CEF&cursor=" + after);
		assertThat(cef.header("Content-Type")).startsWith("text/plain");
		List<String> lines = cef.body().lines().toList();
		assertThat(lines).hasSize(2);
		Map<String, String> failed = io.rvfeed.support.Cef.extensions(lines.get(1));
		assertThat(failed).containsEntry("externalId", expected.get(1).get("event_id").asString())
			.containsEntry("reason", "a=b\\c\nd")
			.containsEntry("cs1", session.toString())
			.containsEntry("cs4", expected.get(1).get("cursor").asString())
			.containsEntry("rt", String.valueOf(Instant.parse("2026-09-04T10:00:20Z").toEpochMilli()));
		assertThat(io.rvfeed.support.Cef.header(lines.get(1)).get(4)).isEqualTo("rv-session-failed");

		// from the start: everything, the creation included
		assertThat(get(EXPORT + "?format=ndjson").body().lines().count()).isEqualTo(3);
	}

	@Test
	void badParametersAre400sNamingThem() {
		assertBad(EVENTS + "?cursor=nope", "Parameter 'cursor' is not a cursor of the session events feed");
		String changes = new FeedCursor(FeedCursor.Kind.CHANGES, this.tenant.id(), 1, 1).encode();
		assertBad(EVENTS + "?cursor=" + changes,
				"Parameter 'cursor' is a cursor of the session changes feed, not of the session events feed.");
		String future = new FeedCursor(FeedCursor.Kind.EVENTS, this.tenant.id(), Long.MAX_VALUE / 2, 0).encode();
		assertBad(EVENTS + "?cursor=" + future, "Parameter 'cursor' points past the newest position");
		assertBad(EVENTS + "?limit=-5", "Parameter 'limit' must be a non-negative integer.");
		assertBad(EVENTS + "?session_id=123", "Parameter 'session_id' must be a UUID.");
		assertBad(EVENTS + "?device_id=xyz", "Parameter 'device_id' must be a UUID.");
		assertBad(EVENTS + "?states=EXPLODED", "Parameter 'states' has an unknown value 'EXPLODED'");
		assertBad(EVENTS + "?occurred_at_gte=noon", "Parameter 'occurred_at_gte' must be an RFC 3339 timestamp");
		assertBad(EVENTS + "?recorded_at_lt=2026-13-45", "Parameter 'recorded_at_lt'");
		assertBad(EVENTS + "?updated_by=" + "x".repeat(256), "Parameter 'updated_by' must be at most 255 characters.");
		assertBad(EVENTS + "?ordering=state", "Parameter 'ordering' does not apply here");
		assertBad(EVENTS + "?offset=1", "Parameter 'offset' does not apply here");
		assertBad(EVENTS + "?since=x", "Parameter 'since' must be an RFC 3339 timestamp");
		assertBad(EVENTS + "?since=2026-01-01&cursor=" + changes, "Parameters 'cursor' and 'since' cannot be given");
		assertBad(EXPORT + "?format=xml", "Parameter 'format' must be csv, ndjson or cef.");
		assertBad(EXPORT + "?format=csv&format=cef", "Parameter 'format' may be given only once.");
		assertBad(EXPORT + "?cursor=nope", "Parameter 'cursor' is not a cursor of the session events feed");
		HttpApi.Reply several = get(EXPORT + "?format=xml&session_id=1&limit=-1");
		assertStandardError(several, 400);
		assertThat(several.json().get("errors")).hasSize(3);
	}

	private void assertBad(String pathAndQuery, String message) {
		assertBadRequest(get(pathAndQuery), message);
	}

	@Test
	void tenantsAreIsolated() {
		UUID mine = this.write.createSession(UUID.randomUUID(), "2026-09-05T10:00:00Z");
		CursorFeed myReader = new CursorFeed(this.api, this.tenant.key(), EVENTS, "");
		CommitHorizon.awaitPassedNow(this.jdbc);
		myReader.drain();
		TestTenants.TestTenant other = this.tenants.create();
		UUID theirs = new WriteApi(this.api, other.key()).createSession(UUID.randomUUID(), "2026-09-05T10:00:00Z");
		CommitHorizon.awaitPassedNow(this.jdbc);
		List<JsonNode> theirEvents = new CursorFeed(this.api, other.key(), EVENTS, "").drain();
		assertThat(theirEvents).extracting((e) -> e.get("session_id").asString()).containsExactly(theirs.toString());
		// filtering by my session or device finds nothing for them
		assertThat(new CursorFeed(this.api, other.key(), EVENTS, "session_id=" + mine).drain()).isEmpty();
		String theirExport = this.api.get(EXPORT + "?format=ndjson").key(other.key()).send().body();
		assertThat(theirExport).contains(theirs.toString()).doesNotContain(mine.toString());
		for (String path : List.of(EVENTS, EXPORT)) {
			HttpApi.Reply foreign = this.api.get(path + "?cursor=" + myReader.cursor()).key(other.key()).send();
			HttpApi.Reply malformed = this.api.get(path + "?cursor=AAAA").key(other.key()).send();
			assertStandardError(foreign, 400);
			assertThat(foreign.json().get("message")).isEqualTo(malformed.json().get("message"));
		}
		// a key without feed:read reads none of it
		String writer = this.tenants.addKey(this.tenant.id(), "writer",
				java.util.Set.of(io.rvfeed.auth.Scope.SESSIONS_WRITE));
		for (String path : List.of(EVENTS, EXPORT, "/api/v2/rv-activity-feed/changes")) {
			assertStandardError(this.api.get(path).key(writer).send(), 403);
		}
		List<String> unauthorized = new ArrayList<>();
		for (String path : List.of(EVENTS, EXPORT, "/api/v2/rv-activity-feed/changes")) {
			unauthorized.add(String.valueOf(this.api.get(path).send().status()));
		}
		assertThat(unauthorized).containsOnly("401");
	}

}
