package io.rvfeed.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.rvfeed.support.CursorFeed;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.IntegrationTest;
import io.rvfeed.support.TestTenants;
import io.rvfeed.support.WriteApi;
import io.rvfeed.web.FeedCursor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readers following the cursors while several writers commit (sessions, single events and
 * batches), one of whose transactions is held open while the others commit after it: in
 * the end the events reader has every acknowledged event exactly once and the changes
 * reader every session's final state, and nothing else.
 */
@IntegrationTest
class CursorConcurrencyIT {

	private static final int WRITERS = 3;

	private static final int ROUNDS = 12;

	@LocalServerPort
	int port;

	@Autowired
	TestTenants tenants;

	@Autowired
	DataSource dataSource;

	@Test
	void readersGetEveryAcknowledgedEventOnceAndEveryFinalStateWhileWritersInterleave() throws Exception {
		TestTenants.TestTenant tenant = this.tenants.create();
		HttpApi api = new HttpApi(this.port);
		WriteApi write = new WriteApi(api, tenant.key());
		Set<UUID> created = ConcurrentHashMap.newKeySet();
		Set<String> acknowledged = ConcurrentHashMap.newKeySet();

		// the held-open writer: a session of its own, and another session to take its
		// event id in a transaction that stays open
		UUID held = write.createSession(UUID.randomUUID(), "2026-10-01T10:00:00Z");
		UUID blocker = write.createSession(UUID.randomUUID(), "2026-10-01T10:00:00Z");
		created.add(held);
		created.add(blocker);

		CursorFeed events = new CursorFeed(api, tenant.key(), "/api/v2/rv-session-events/", "limit=7");
		CursorFeed changes = new CursorFeed(api, tenant.key(), "/api/v2/rv-activity-feed/changes", "limit=7");
		AtomicBoolean writing = new AtomicBoolean(true);
		ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 2);
		try (Connection open = this.dataSource.getConnection()) {
			open.setAutoCommit(false);
			UUID heldEventId = UUID.randomUUID();
			try (PreparedStatement insert = open.prepareStatement(
					"insert into rv_session_event (tenant_id, event_id, session_id, state, occurred_at) values (?, ?, ?, 'ACTIVE', ?)")) {
				insert.setObject(1, tenant.id());
				insert.setObject(2, heldEventId);
				insert.setObject(3, blocker);
				insert.setTimestamp(4, Timestamp.from(Instant.parse("2026-10-01T10:00:05Z")));
				insert.executeUpdate();
			}
			// the service's transaction locks its session, then waits on that event id
			// while every other writer commits after it
			Future<HttpApi.Reply> heldWrite = pool.submit(() -> write.event(held, "{\"event_id\":\"" + heldEventId
					+ "\",\"state\":\"ACTIVE\",\"occurred_at\":\"2026-10-01T10:00:06Z\"}"));
			Thread.sleep(500);
			assertThat(heldWrite.isDone()).as("the held write waits for the open transaction").isFalse();

			Future<?> reader = pool.submit(() -> {
				while (writing.get()) {
					events.poll();
					changes.poll();
				}
				return null;
			});
			List<Future<?>> writers = new ArrayList<>();
			for (int w = 0; w < WRITERS; w++) {
				int writer = w;
				writers.add(pool.submit(() -> {
					writeRounds(write, writer, created, acknowledged);
					return null;
				}));
			}
			for (Future<?> writer : writers) {
				writer.get(120, TimeUnit.SECONDS);
			}
			open.rollback();
			HttpApi.Reply heldReply = heldWrite.get(60, TimeUnit.SECONDS);
			assertThat(heldReply.status()).as(heldReply.toString()).isEqualTo(201);
			acknowledged.add(heldEventId.toString());
			writing.set(false);
			reader.get(60, TimeUnit.SECONDS);
		}
		finally {
			pool.shutdownNow();
		}

		// catch up with what committed last, then make sure nothing more comes
		Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
		while (eventIdsOf(events.records()).size() < acknowledged.size() + created.size()
				&& Instant.now().isBefore(deadline)) {
			events.drain();
		}
		events.drain();
		changes.drain();
		changes.drain();

		List<JsonNode> seen = events.records();
		List<String> ids = eventIdsOf(seen);
		assertThat(ids).doesNotHaveDuplicates();
		assertThat(seen.stream()
			.filter((e) -> !e.get("state").asString().equals("INITIATED"))
			.map((e) -> e.get("event_id").asString())).containsExactlyInAnyOrderElementsOf(acknowledged);
		assertThat(seen.stream()
			.filter((e) -> e.get("state").asString().equals("INITIATED"))
			.map((e) -> UUID.fromString(e.get("session_id").asString()))).containsExactlyInAnyOrderElementsOf(created);
		assertThat(seen.stream().map((e) -> position(e, tenant.id(), FeedCursor.Kind.EVENTS)).toList()).isSorted()
			.doesNotHaveDuplicates();

		Map<UUID, String> latest = new HashMap<>();
		for (JsonNode change : changes.records()) {
			latest.put(UUID.fromString(change.get("session_id").asString()), change.get("state").asString());
		}
		assertThat(latest.keySet()).isEqualTo(created);
		for (UUID session : created) {
			String state = write.session(session).json().get("content").get("state").asString();
			assertThat(latest.get(session)).as("final state of " + session).isEqualTo(state);
		}
		assertThat(changes.records().stream().map((c) -> position(c, tenant.id(), FeedCursor.Kind.CHANGES)).toList())
			.isSorted()
			.doesNotHaveDuplicates();
	}

	private static FeedCursor position(JsonNode record, UUID tenantId, FeedCursor.Kind kind) {
		return FeedCursor.decode(record.get("cursor").asString(), kind, tenantId, "cursor");
	}

	private static List<String> eventIdsOf(List<JsonNode> records) {
		return records.stream().map((e) -> e.get("event_id").asString()).toList();
	}

	/** Creates sessions and reports their lifecycle, singly and in batches. */
	private static void writeRounds(WriteApi write, int writer, Set<UUID> created, Set<String> acknowledged) {
		List<UUID> mine = new ArrayList<>();
		for (int round = 0; round < ROUNDS; round++) {
			UUID session = write.createSession(UUID.randomUUID(), "2026-10-01T1" + writer + ":00:00Z");
			created.add(session);
			mine.add(session);
			String single = UUID.randomUUID().toString();
			HttpApi.Reply reply = write.event(session, "{\"event_id\":\"" + single
					+ "\",\"state\":\"ACKNOWLEDGED\",\"occurred_at\":\"2026-10-01T1" + writer + ":00:01Z\"}");
			if (reply.status() == 201) {
				acknowledged.add(single);
			}
			if (round % 3 == 2) {
				// a batch over this writer's last sessions: start them, end some
				StringBuilder body = new StringBuilder();
				List<UUID> batch = mine.subList(mine.size() - 3, mine.size());
				for (int i = 0; i < batch.size(); i++) {
					body.append("{\"session_id\":\"").append(batch.get(i)).append("\",\"state\":\"ACTIVE\"}\n");
					body.append("{\"session_id\":\"")
						.append(batch.get(i))
						.append("\",\"state\":\"")
						.append((i == 0) ? "FAILED" : "TERMINATED")
						.append("\"}\n");
				}
				body.append("{\"session_id\":\"").append(batch.get(0)).append("\",\"state\":\"TERMINATED\"}\n");
				JsonNode results = write.batch(body.toString(), "application/x-ndjson")
					.json()
					.get("content")
					.get("results");
				for (JsonNode result : results) {
					if (result.get("result").asString().equals("applied")) {
						acknowledged.add(result.get("event_id").asString());
					}
				}
			}
		}
		Set<UUID> unique = new HashSet<>(mine);
		assertThat(unique).hasSize(ROUNDS);
	}

}
