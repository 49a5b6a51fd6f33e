package io.rvfeed.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.rvfeed.support.HttpApi;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.WriteApi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads report the same events, duplicated and shuffled, to many sessions at once,
 * through single and batch requests. Every session must end exactly as a single-threaded
 * fold of its events says, with each event stored once.
 */
class SessionConcurrencyIT extends ServiceTest {

	private static final int SESSIONS = 40;

	private static final int COPIES = 3;

	record Event(UUID sessionId, UUID eventId, String state, Instant at, String reason) {

		String json(boolean withSession) {
			return "{" + (withSession ? "\"session_id\":\"" + this.sessionId + "\"," : "") + "\"event_id\":\""
					+ this.eventId + "\",\"state\":\"" + this.state + "\",\"occurred_at\":\"" + this.at + "\""
					+ ((this.reason != null) ? ",\"reason\":\"" + this.reason + "\"" : "") + "}";
		}

	}

	@Test
	void concurrentShuffledDuplicatedEventsConvergeOnTheSequentialFold() throws Exception {
		WriteApi write = write(this.tenants.create());
		Random random = new Random(7);
		Instant base = Instant.parse("2026-05-01T08:00:00Z");
		List<UUID> sessions = new ArrayList<>();
		List<Event> events = new ArrayList<>();
		for (int i = 0; i < SESSIONS; i++) {
			UUID session = write.createSession(UUID.randomUUID(), base.toString());
			sessions.add(session);
			Instant t = base.plusMillis(random.nextInt(5000));
			if (random.nextBoolean()) {
				events.add(new Event(session, UUID.randomUUID(), "ACKNOWLEDGED", t, null));
			}
			if (random.nextInt(4) > 0) {
				t = t.plusMillis(1 + random.nextInt(5000));
				events.add(new Event(session, UUID.randomUUID(), "ACTIVE", t, null));
			}
			if (random.nextInt(4) > 0) {
				t = t.plusSeconds(1 + random.nextInt(7200));
				boolean failed = random.nextInt(3) == 0;
				events.add(new Event(session, UUID.randomUUID(), failed ? "FAILED" : "TERMINATED", t,
						failed ? "Device went offline" : "Ended by console user"));
			}
		}
		List<Event> deliveries = new ArrayList<>();
		for (int copy = 0; copy < COPIES; copy++) {
			deliveries.addAll(events);
		}
		Collections.shuffle(deliveries, random);

		ExecutorService pool = Executors.newFixedThreadPool(8);
		List<Future<?>> sent = new ArrayList<>();
		int at = 0;
		while (at < deliveries.size()) {
			int size = random.nextBoolean() ? 1 : 1 + random.nextInt(12);
			List<Event> chunk = deliveries.subList(at, Math.min(deliveries.size(), at + size));
			at += chunk.size();
			sent.add(pool.submit(() -> deliver(write, chunk)));
		}
		for (Future<?> future : sent) {
			future.get(2, TimeUnit.MINUTES);
		}
		pool.shutdown();

		for (UUID session : sessions) {
			List<Event> own = events.stream().filter((e) -> e.sessionId().equals(session)).toList();
			JsonNode row = write.feedRow(session);
			assertThat(text(row, "state")).as(session.toString()).isEqualTo(expectedState(own));
			Instant started = own.stream()
				.filter((e) -> e.state().equals("ACTIVE"))
				.map(Event::at)
				.findFirst()
				.orElse(null);
			Instant ended = own.stream()
				.filter((e) -> e.state().equals("TERMINATED") || e.state().equals("FAILED"))
				.map(Event::at)
				.findFirst()
				.orElse(null);
			Instant updated = own.stream().map(Event::at).max(Instant::compareTo).orElse(base);
			assertThat(text(row, "started_at")).isEqualTo((started != null) ? started.toString() : null);
			assertThat(text(row, "ended_at")).isEqualTo((ended != null) ? ended.toString() : null);
			assertThat(text(row, "updated_at")).isEqualTo(updated.isAfter(base) ? updated.toString() : base.toString());
			assertThat(text(row, "duration"))
				.isEqualTo((started != null && ended != null) ? Duration.between(started, ended).toString() : null);
			assertThat(text(row, "reason"))
				.isEqualTo(own.stream().map(Event::reason).filter((r) -> r != null).findFirst().orElse(null));

			JsonNode timeline = write.session(session).json().get("content").get("events");
			Set<String> ids = new HashSet<>();
			timeline.forEach((e) -> ids.add(e.get("event_id").asString()));
			assertThat(timeline).hasSize(own.size() + 1);
			assertThat(ids).hasSize(own.size() + 1);
			own.forEach((e) -> assertThat(ids).contains(e.eventId().toString()));
		}
	}

	private static void deliver(WriteApi write, List<Event> chunk) {
		if (chunk.size() == 1) {
			Event event = chunk.get(0);
			HttpApi.Reply reply = write.event(event.sessionId(), event.json(false));
			assertThat(reply.status()).as(reply.toString()).isIn(200, 201);
			return;
		}
		StringBuilder body = new StringBuilder();
		chunk.forEach((e) -> body.append(e.json(true)).append('\n'));
		HttpApi.Reply reply = write.batch(body.toString(), "application/x-ndjson");
		assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
		reply.json()
			.get("content")
			.get("results")
			.forEach((r) -> assertThat(r.get("result").asString()).isIn("applied", "duplicate"));
	}

	private static String expectedState(List<Event> own) {
		String state = "INITIATED";
		for (String candidate : List.of("ACKNOWLEDGED", "ACTIVE", "TERMINATED", "FAILED")) {
			if (own.stream().anyMatch((e) -> e.state().equals(candidate))) {
				state = candidate;
			}
		}
		return state;
	}

	private static String text(JsonNode row, String field) {
		return row.get(field).isNull() ? null : row.get(field).asString();
	}

}
