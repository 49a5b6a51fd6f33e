package io.rvfeed.session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import io.rvfeed.support.HttpApi;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.WriteApi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch decides all its items together; each must come out as if the items had been
 * sent one at a time, grouped by session (in session id order) and in batch order within
 * a session: later items see earlier ones.
 */
class SessionBatchSemanticsIT extends ServiceTest {

	private static final String CREATED = "2026-03-01T10:00:00Z";

	@Autowired
	DataSource dataSource;

	@Autowired
	MeterRegistry meters;

	WriteApi write;

	double fallbacksBefore;

	/**
	 * Batches this test expects applied item by item, after the set-based path gave up.
	 */
	int expectedFallbacks;

	@BeforeEach
	void setUp() {
		this.write = write(this.tenants.create());
		this.fallbacksBefore = fallbacks();
	}

	/**
	 * The set-based path decided the batch itself, rather than leaving it to the
	 * fallback.
	 */
	@AfterEach
	void noUnexpectedFallback() {
		assertThat(fallbacks() - this.fallbacksBefore).isEqualTo(this.expectedFallbacks);
	}

	private double fallbacks() {
		return this.meters.find("rvfeed.batch.fallbacks").counters().stream().mapToDouble(Counter::count).sum();
	}

	/** One batch line; null fields are left out. */
	record Item(UUID sessionId, UUID eventId, String state, String at, String reason, String by) {

		static Item of(UUID sessionId, UUID eventId, String state, String at) {
			return new Item(sessionId, eventId, state, at, null, null);
		}

		String json(boolean withSession) {
			List<String> fields = new ArrayList<>();
			if (withSession) {
				fields.add("\"session_id\":\"" + this.sessionId + "\"");
			}
			if (this.eventId != null) {
				fields.add("\"event_id\":\"" + this.eventId + "\"");
			}
			fields.add("\"state\":\"" + this.state + "\"");
			if (this.at != null) {
				fields.add("\"occurred_at\":\"" + this.at + "\"");
			}
			if (this.reason != null) {
				fields.add("\"reason\":" + HttpApi.quote(this.reason));
			}
			if (this.by != null) {
				fields.add("\"updated_by\":" + HttpApi.quote(this.by));
			}
			return "{" + String.join(",", fields) + "}";
		}

	}

	private static JsonNode batch(WriteApi write, List<Item> items) {
		StringBuilder body = new StringBuilder();
		items.forEach((item) -> body.append(item.json(true)).append('\n'));
		HttpApi.Reply reply = write.batch(body.toString(), "application/x-ndjson");
		assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
		return reply.json().get("content");
	}

	private static List<String> results(JsonNode content) {
		List<String> results = new ArrayList<>();
		content.get("results").forEach((r) -> results.add(r.get("result").asString()));
		return results;
	}

	private static JsonNode result(JsonNode content, int index) {
		return content.get("results").get(index);
	}

	private List<String> timelineStates(UUID session) {
		return timelineStates(this.write, session);
	}

	private static List<String> timelineStates(WriteApi write, UUID session) {
		List<String> states = new ArrayList<>();
		write.session(session).json().get("content").get("events").forEach((e) -> states.add(text(e, "state")));
		return states;
	}

	private static String text(JsonNode node, String field) {
		return node.get(field).isNull() ? null : node.get(field).asString();
	}

	@Test
	void itemsOfOneSessionSeeEachOtherWhateverTheirTimes() {
		UUID session = this.write.createSession(UUID.randomUUID(), CREATED);
		UUID other = this.write.createSession(UUID.randomUUID(), CREATED);
		JsonNode content = batch(this.write,
				List.of(new Item(session, null, "TERMINATED", "2026-03-01T10:09:00Z", "Ended by console user",
						"alice@example.com"), Item.of(other, null, "ACTIVE", "2026-03-01T10:01:00Z"),
						new Item(session, null, "ACTIVE", "2026-03-01T10:00:05Z", "streaming", "device-agent"),
						new Item(session, null, "ACKNOWLEDGED", "2026-03-01T10:00:03Z", "late ack", "device-agent"),
						// a repeated stage: kept in the timeline, changes nothing
						new Item(session, null, "ACTIVE", "2026-03-01T10:30:00Z", "again", "bob"),
						Item.of(other, null, "ACKNOWLEDGED", "2026-03-01T10:00:30Z")));
		assertThat(results(content)).containsOnly("applied");
		JsonNode row = this.write.feedRow(session);
		assertThat(text(row, "state")).isEqualTo("TERMINATED");
		assertThat(text(row, "started_at")).isEqualTo("2026-03-01T10:00:05Z");
		assertThat(text(row, "ended_at")).isEqualTo("2026-03-01T10:09:00Z");
		assertThat(text(row, "duration")).isEqualTo("PT8M55S");
		assertThat(text(row, "updated_at")).isEqualTo("2026-03-01T10:09:00Z");
		assertThat(text(row, "reason")).isEqualTo("Ended by console user");
		assertThat(text(row, "updated_by")).isEqualTo("alice@example.com");
		assertThat(timelineStates(session)).containsExactly("INITIATED", "ACKNOWLEDGED", "ACTIVE", "TERMINATED",
				"ACTIVE");
		JsonNode otherRow = this.write.feedRow(other);
		assertThat(text(otherRow, "state")).isEqualTo("ACTIVE");
		assertThat(text(otherRow, "updated_at")).isEqualTo("2026-03-01T10:01:00Z");

		// the ids the batch made up are the ones recorded
		List<String> recorded = new ArrayList<>();
		this.write.session(session)
			.json()
			.get("content")
			.get("events")
			.forEach((e) -> recorded.add(text(e, "event_id")));
		for (int index : List.of(0, 2, 3, 4)) {
			assertThat(recorded).contains(text(result(content, index), "event_id"));
		}
	}

	@Test
	void theSameEventTwiceInOneBatchIsRecordedOnce() {
		UUID session = this.write.createSession(UUID.randomUUID(), CREATED);
		UUID id = UUID.randomUUID();
		UUID unstamped = UUID.randomUUID();
		Item event = new Item(session, id, "ACTIVE", "2026-03-01T10:00:05Z", "streaming", "device-agent");
		JsonNode content = batch(this.write,
				List.of(event, event, new Item(session, id, "ACTIVE", null, "streaming", null),
						Item.of(session, unstamped, "ACKNOWLEDGED", null),
						Item.of(session, unstamped, "ACKNOWLEDGED", null)));
		assertThat(results(content)).containsExactly("applied", "duplicate", "duplicate", "applied", "duplicate");
		assertThat(result(content, 1).get("status").asInt()).isEqualTo(200);
		assertThat(text(result(content, 1), "message")).isEqualTo("Already recorded; nothing changed.");
		assertThat(text(result(content, 1), "event_id")).isEqualTo(id.toString());
		assertThat(content.get("counts").get("duplicate").asInt()).isEqualTo(3);
		assertThat(timelineStates(session)).containsExactlyInAnyOrder("INITIATED", "ACTIVE", "ACKNOWLEDGED");
	}

	@Test
	void theSameIdForADifferentEventInOneBatchIsAConflict() {
		UUID session = this.write.createSession(UUID.randomUUID(), CREATED);
		UUID id = UUID.randomUUID();
		JsonNode content = batch(this.write,
				List.of(Item.of(session, id, "ACTIVE", "2026-03-01T10:00:05Z"),
						Item.of(session, id, "TERMINATED", "2026-03-01T10:00:05Z"),
						new Item(session, id, "ACTIVE", "2026-03-01T10:00:05Z", "another reason", null),
						Item.of(session, id, "ACTIVE", "2026-03-01T10:00:06Z"),
						Item.of(session, null, "TERMINATED", "2026-03-01T10:05:05Z")));
		assertThat(results(content)).containsExactly("applied", "conflict", "conflict", "conflict", "applied");
		assertThat(result(content, 1).get("status").asInt()).isEqualTo(409);
		assertThat(text(result(content, 1), "message")).contains(id.toString()).contains("different state");
		assertThat(text(result(content, 2), "message")).contains("different reason");
		assertThat(text(result(content, 3), "message")).contains("different occurred_at");
		assertThat(text(result(content, 1), "event_id")).isEqualTo(id.toString());
		JsonNode row = this.write.feedRow(session);
		assertThat(text(row, "state")).isEqualTo("TERMINATED");
		assertThat(text(row, "duration")).isEqualTo("PT5M");
	}

	@Test
	void anEndInTheBatchRefusesTheOtherEndAfterIt() {
		UUID session = this.write.createSession(UUID.randomUUID(), CREATED);
		JsonNode content = batch(this.write,
				List.of(Item.of(session, null, "ACTIVE", "2026-03-01T10:00:05Z"),
						new Item(session, null, "FAILED", "2026-03-01T10:02:05Z", "Device went offline", null),
						Item.of(session, null, "TERMINATED", "2026-03-01T10:01:00Z"),
						// the same end again under a new id is no contradiction
						Item.of(session, null, "FAILED", "2026-03-01T10:03:00Z"),
						Item.of(session, null, "ACKNOWLEDGED", "2026-03-01T10:00:01Z")));
		assertThat(results(content)).containsExactly("applied", "applied", "conflict", "applied", "applied");
		assertThat(result(content, 2).get("status").asInt()).isEqualTo(409);
		assertThat(text(result(content, 2), "message")).isEqualTo("Session " + session
				+ " already ended as FAILED; a TERMINATED event contradicts that" + " and was not recorded.");
		JsonNode row = this.write.feedRow(session);
		assertThat(text(row, "state")).isEqualTo("FAILED");
		assertThat(text(row, "ended_at")).isEqualTo("2026-03-01T10:02:05Z");
		assertThat(text(row, "duration")).isEqualTo("PT2M");
		assertThat(text(row, "reason")).isEqualTo("Device went offline");
		assertThat(timelineStates(session)).containsExactly("INITIATED", "ACKNOWLEDGED", "ACTIVE", "FAILED", "FAILED");
	}

	@Test
	void unknownSessionsAmongGoodItemsAre404AndTouchNothingElse() {
		UUID session = this.write.createSession(UUID.randomUUID(), CREATED);
		WriteApi otherTenant = write(this.tenants.create());
		UUID foreign = otherTenant.createSession(UUID.randomUUID(), CREATED);
		UUID unknown = UUID.randomUUID();
		UUID unknownEvent = UUID.randomUUID();
		JsonNode content = batch(this.write,
				List.of(Item.of(unknown, unknownEvent, "ACTIVE", "2026-03-01T10:00:05Z"),
						Item.of(session, null, "ACTIVE", "2026-03-01T10:00:05Z"),
						Item.of(foreign, null, "ACTIVE", "2026-03-01T10:00:05Z"),
						Item.of(session, unknownEvent, "TERMINATED", "2026-03-01T10:01:05Z")));
		assertThat(results(content)).containsExactly("not_found", "applied", "not_found", "applied");
		assertThat(result(content, 0).get("status").asInt()).isEqualTo(404);
		assertThat(text(result(content, 0), "message")).isEqualTo("Session " + unknown + " was not found.");
		assertThat(text(result(content, 0), "event_id")).isEqualTo(unknownEvent.toString());
		assertThat(result(content, 2).get("event_id").isNull()).isTrue();
		assertThat(content.get("counts").get("not_found").asInt()).isEqualTo(2);
		assertThat(text(this.write.feedRow(session), "duration")).isEqualTo("PT1M");
		assertThat(text(otherTenant.feedRow(foreign), "state")).isEqualTo("INITIATED");
	}

	@Test
	void anEventIdOfAnotherSessionIsAConflict() {
		UUID a = this.write.createSession(UUID.randomUUID(), CREATED);
		UUID b = this.write.createSession(UUID.randomUUID(), CREATED);
		UUID c = this.write.createSession(UUID.randomUUID(), CREATED);
		UUID taken = UUID.randomUUID();
		assertThat(this.write.event(b, Item.of(b, taken, "ACTIVE", "2026-03-01T10:00:05Z").json(false)).status())
			.isEqualTo(201);
		UUID shared = UUID.randomUUID();
		JsonNode content = batch(this.write,
				List.of(Item.of(a, taken, "ACTIVE", "2026-03-01T10:00:05Z"),
						Item.of(a, null, "ACKNOWLEDGED", "2026-03-01T10:00:01Z"),
						Item.of(c, shared, "ACTIVE", "2026-03-01T10:00:07Z"),
						Item.of(a, shared, "ACTIVE", "2026-03-01T10:00:07Z")));
		assertThat(result(content, 0).get("status").asInt()).isEqualTo(409);
		assertThat(text(result(content, 0), "message")).contains(taken.toString()).contains("different session");
		assertThat(text(result(content, 1), "result")).isEqualTo("applied");
		// one id for two sessions in one batch: the first session (by id) gets it
		UUID winner = (a.compareTo(c) < 0) ? a : c;
		int winnerIndex = winner.equals(a) ? 3 : 2;
		int loserIndex = winner.equals(a) ? 2 : 3;
		assertThat(text(result(content, winnerIndex), "result")).isEqualTo("applied");
		assertThat(text(result(content, loserIndex), "result")).isEqualTo("conflict");
		assertThat(text(result(content, loserIndex), "message")).contains("different session");
		assertThat(timelineStates(b)).containsExactly("INITIATED", "ACTIVE");
		assertThat(text(this.write.feedRow(winner), "state")).isEqualTo("ACTIVE");
		assertThat(text(this.write.feedRow(winner.equals(a) ? c : a), "state"))
			.isEqualTo(winner.equals(a) ? "INITIATED" : "ACKNOWLEDGED");
	}

	/**
	 * An id that was free when the batch looked is taken by another session's event
	 * before the batch inserts it: that item is a conflict, as if the id had been taken
	 * before, and the rest of the batch is recorded.
	 */
	@Test
	void anEventIdTakenWhileTheBatchRunsIsAConflictToo() throws Exception {
		this.expectedFallbacks = 1;
		var tenant = this.tenants.create();
		WriteApi write = write(tenant);
		UUID a = write.createSession(UUID.randomUUID(), CREATED);
		UUID b = write.createSession(UUID.randomUUID(), CREATED);
		UUID raced = UUID.randomUUID();
		try (Connection other = this.dataSource.getConnection()) {
			other.setAutoCommit(false);
			try (PreparedStatement insert = other.prepareStatement(
					"insert into rv_session_event (tenant_id, event_id, session_id, state, occurred_at) values (?, ?, ?, 'ACTIVE', now())")) {
				insert.setObject(1, tenant.id());
				insert.setObject(2, raced);
				insert.setObject(3, b);
				insert.executeUpdate();
			}
			CompletableFuture<JsonNode> sent = CompletableFuture.supplyAsync(() -> batch(write,
					List.of(Item.of(a, null, "ACKNOWLEDGED", "2026-03-01T10:00:01Z"),
							Item.of(a, raced, "ACTIVE", "2026-03-01T10:00:05Z"),
							Item.of(a, null, "TERMINATED", "2026-03-01T10:01:05Z"))));
			awaitInsertWaiting();
			other.commit();
			JsonNode content = sent.get(30, TimeUnit.SECONDS);
			assertThat(results(content)).containsExactly("applied", "conflict", "applied");
			assertThat(text(result(content, 1), "message")).contains(raced.toString()).contains("different session");
		}
		JsonNode row = write.feedRow(a);
		assertThat(text(row, "state")).isEqualTo("TERMINATED");
		assertThat(text(row, "started_at")).isNull();
		assertThat(timelineStates(write, a)).containsExactly("INITIATED", "ACKNOWLEDGED", "TERMINATED");
	}

	/**
	 * Polls in transactions of its own: a transaction sees one snapshot of the activity.
	 */
	private void awaitInsertWaiting() throws Exception {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
		while (Instant.now().isBefore(deadline)) {
			try (Connection connection = this.dataSource.getConnection();
					PreparedStatement waiting = connection.prepareStatement(
							"select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like 'insert into \"rv_session_event\"%'");
					ResultSet rs = waiting.executeQuery()) {
				rs.next();
				if (rs.getInt(1) > 0) {
					return;
				}
			}
			Thread.sleep(20);
		}
		throw new AssertionError("the batch never waited for the other transaction's event");
	}

	/**
	 * Random batches (repeated and reused event ids, both ends, late stages, unknown
	 * sessions) against the same events sent one at a time to another tenant with the
	 * same ids: every answer and every session must come out the same.
	 */
	@Test
	void aBatchEndsAsTheSameEventsSentOneAtATime() {
		WriteApi single = write(this.tenants.create());
		Random random = new Random(11);
		List<UUID> sessions = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			UUID id = this.write.createSession(uuid(random), CREATED);
			single.createSession(id, CREATED);
			sessions.add(id);
		}
		List<UUID> eventIds = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			eventIds.add(uuid(random));
		}
		List<String> states = List.of("ACKNOWLEDGED", "ACTIVE", "TERMINATED", "FAILED");
		List<String> reasons = java.util.Arrays.asList(null, null, "Ended by console user", "Device went offline");
		List<String> by = java.util.Arrays.asList(null, "device-agent", "alice@example.com");
		Instant base = Instant.parse(CREATED);
		List<String> seen = new ArrayList<>();
		List<Item> sent = new ArrayList<>();
		for (int round = 0; round < 3; round++) {
			List<Item> items = new ArrayList<>();
			for (int i = 0; i < 40; i++) {
				if (!sent.isEmpty() && random.nextInt(6) == 0) {
					items.add(sent.get(random.nextInt(sent.size())));
					continue;
				}
				UUID session = (random.nextInt(20) == 0) ? uuid(random) : sessions.get(random.nextInt(sessions.size()));
				UUID eventId = (random.nextInt(3) == 0) ? null : eventIds.get(random.nextInt(eventIds.size()));
				items.add(new Item(session, eventId, states.get(random.nextInt(states.size())),
						base.plusSeconds(random.nextInt(4) * 60L).toString(), reasons.get(random.nextInt(4)),
						by.get(random.nextInt(3))));
			}
			JsonNode content = batch(this.write, items);
			seen.addAll(results(content));
			sent.addAll(items);

			List<Integer> order = new ArrayList<>();
			for (int i = 0; i < items.size(); i++) {
				order.add(i);
			}
			order.sort(Comparator.comparing((Integer i) -> items.get(i).sessionId()));
			for (int index : order) {
				Item item = items.get(index);
				HttpApi.Reply reply = single.event(item.sessionId(), item.json(false));
				JsonNode batched = result(content, index);
				assertThat(batched.get("status").asInt()).as("item %d: %s", index, item).isEqualTo(reply.status());
				String message = (reply.status() >= 400) ? text(reply.json(), "message")
						: (reply.status() == 201) ? "Recorded." : "Already recorded; nothing changed.";
				assertThat(text(batched, "message")).as("item %d", index).isEqualTo(message);
				if (item.eventId() != null) {
					assertThat(text(batched, "event_id")).isEqualTo(item.eventId().toString());
				}
			}
		}
		assertThat(seen).contains("applied", "duplicate", "conflict", "not_found");
		for (UUID session : sessions) {
			JsonNode batched = this.write.feedRow(session);
			JsonNode one = single.feedRow(session);
			for (String field : List.of("state", "started_at", "ended_at", "duration", "updated_at", "reason",
					"updated_by")) {
				assertThat(text(batched, field)).as(session + " " + field).isEqualTo(text(one, field));
			}
			assertThat(timeline(this.write, session)).isEqualTo(timeline(single, session));
		}
	}

	/** The same ids on every run, so a failure can be repeated. */
	private static UUID uuid(Random random) {
		return new UUID(random.nextLong(), random.nextLong());
	}

	/**
	 * The timeline without what depends on when it was received or which id was made up.
	 */
	private static List<String> timeline(WriteApi write, UUID session) {
		List<String> events = new ArrayList<>();
		write.session(session)
			.json()
			.get("content")
			.get("events")
			.forEach((e) -> events
				.add(text(e, "state") + " " + text(e, "occurred_at") + " " + text(e, "reason") + " " + text(e, "by")));
		return events;
	}

}
