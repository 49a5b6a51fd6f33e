package io.rvfeed.feed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;

import io.rvfeed.support.CursorFeed;
import io.rvfeed.support.HeldTransaction;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.SseClient;
import io.rvfeed.support.TestTenants;
import io.rvfeed.support.WriteApi;
import io.rvfeed.web.FeedCursor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The property the live stream, the changes feed and the events feed rest on: a
 * transaction that began before another and commits after the other's change could have
 * been read is not missed, live, across a reconnect (Last-Event-ID header or
 * {@code ?last_event_id=}) or by a reader following the cursor. The older transaction is
 * held open while the newer one commits through the write API and the reader keeps
 * reading for a few poll intervals, then it commits.
 */
class LateCommitIT extends ServiceTest {

	private static final Duration WAIT = Duration.ofSeconds(20);

	/** How long the reader goes on reading while the older transaction is still open. */
	private static final Duration WHILE_HELD = Duration.ofSeconds(3);

	@Autowired
	PlatformTransactionManager transactions;

	TestTenants.TestTenant tenant;

	WriteApi write;

	@BeforeEach
	void setUp() {
		this.tenant = this.tenants.create();
		this.write = write(this.tenant);
	}

	private String streamUrl(String query) {
		return "http://localhost:" + this.port + "/api/v2/rv-activity-feed/stream" + query;
	}

	/**
	 * Opens the older transaction: it inserts a session (and its first event) and waits.
	 */
	private HeldTransaction older(UUID sessionId) throws Exception {
		return HeldTransaction.begin(this.transactions,
				() -> this.fixtures.insert(this.fixtures.session(this.tenant).sessionId(sessionId)));
	}

	@Test
	void aLiveStreamSendsAnOlderTransactionThatCommitsAfterANewerOne() throws Exception {
		UUID early = UUID.randomUUID();
		UUID late;
		List<SseClient.Event> received = new ArrayList<>();
		try (SseClient stream = new SseClient(streamUrl(""), this.tenant.key(), null)) {
			assertThat(stream.status()).isEqualTo(200);
			try (HeldTransaction held = older(early)) {
				late = this.write.createSession(UUID.randomUUID(), "2026-09-01T10:01:00Z");
				received.addAll(stream.awaitUntil(sessions(late), WHILE_HELD));
				held.commit();
			}
			received.addAll(stream.awaitUntil(sessions(received, early, late), WAIT));
		}
		assertThat(sessionIds(received)).containsExactlyInAnyOrder(early.toString(), late.toString());
		assertThat(received.stream().map(this::position).toList()).isSorted().doesNotHaveDuplicates();
	}

	@ParameterizedTest(name = "resuming with {0}")
	@ValueSource(strings = { "Last-Event-ID", "last_event_id" })
	void aReconnectMissesNoOlderTransactionThatCommittedAfterTheDisconnect(String resumeWith) throws Exception {
		UUID early = UUID.randomUUID();
		UUID late;
		List<SseClient.Event> first = new ArrayList<>();
		try (SseClient stream = new SseClient(streamUrl(""), this.tenant.key(), null)) {
			assertThat(stream.status()).isEqualTo(200);
			// so that the first connection has an id to resume from
			UUID seed = this.write.createSession(UUID.randomUUID(), "2026-09-02T10:00:00Z");
			first.addAll(stream.awaitUntil(sessions(seed), WAIT));
			assertThat(sessionIds(first)).containsExactly(seed.toString());
			try (HeldTransaction held = older(early)) {
				late = this.write.createSession(UUID.randomUUID(), "2026-09-02T10:01:00Z");
				first.addAll(stream.awaitUntil(sessions(late), WHILE_HELD));
				String lastId = first.get(first.size() - 1).id();
				stream.close();
				held.commit();

				List<SseClient.Event> second = new ArrayList<>();
				boolean header = resumeWith.equals("Last-Event-ID");
				try (SseClient resumed = new SseClient(streamUrl(header ? "" : "?last_event_id=" + lastId),
						this.tenant.key(), header ? lastId : null)) {
					assertThat(resumed.status()).isEqualTo(200);
					List<SseClient.Event> all = new ArrayList<>(first);
					second.addAll(resumed.awaitUntil((more) -> {
						List<SseClient.Event> union = new ArrayList<>(all);
						union.addAll(more);
						return sessionIds(union)
							.containsAll(List.of(seed.toString(), early.toString(), late.toString()));
					}, WAIT));
				}
				List<SseClient.Event> union = new ArrayList<>(first);
				union.addAll(second);
				assertThat(sessionIds(union)).containsExactlyInAnyOrder(seed.toString(), early.toString(),
						late.toString());
				FeedCursor resumedFrom = position(first.get(first.size() - 1));
				assertThat(second).allSatisfy((event) -> assertThat(position(event)).isGreaterThan(resumedFrom));
			}
		}
	}

	@Test
	void theChangesFeedByCursorMissesNoOlderTransactionThatCommitsLater() throws Exception {
		UUID seed = this.write.createSession(UUID.randomUUID(), "2026-09-03T10:00:00Z");
		CursorFeed changes = new CursorFeed(new HttpApi(this.port), this.tenant.key(),
				"/api/v2/rv-activity-feed/changes", "limit=2");
		assertThat(sessionIdsOf(changes.drainAtLeast(1))).containsExactly(seed.toString());
		UUID early = UUID.randomUUID();
		UUID late;
		try (HeldTransaction held = older(early)) {
			late = this.write.createSession(UUID.randomUUID(), "2026-09-03T10:01:00Z");
			changes.drain();
			held.commit();
		}
		changes.drainAtLeast(2);
		assertThat(sessionIdsOf(changes.records())).containsExactlyInAnyOrder(seed.toString(), early.toString(),
				late.toString());
		assertThat(changes.records()
			.stream()
			.map((c) -> FeedCursor.decode(c.get("cursor").asString(), FeedCursor.Kind.CHANGES, this.tenant.id(),
					"cursor"))
			.toList()).isSorted();
	}

	@Test
	void theEventsFeedByCursorMissesNoOlderTransactionThatCommitsLater() throws Exception {
		UUID seed = this.write.createSession(UUID.randomUUID(), "2026-09-04T10:00:00Z");
		CursorFeed events = new CursorFeed(new HttpApi(this.port), this.tenant.key(), "/api/v2/rv-session-events/",
				"limit=2");
		assertThat(sessionIdsOf(events.drainAtLeast(1))).containsExactly(seed.toString());
		UUID early = UUID.randomUUID();
		UUID late;
		try (HeldTransaction held = older(early)) {
			late = this.write.createSession(UUID.randomUUID(), "2026-09-04T10:01:00Z");
			assertThat(this.write.event(seed, "ACTIVE", "2026-09-04T10:02:00Z").status()).isEqualTo(201);
			events.drain();
			held.commit();
		}
		events.drainAtLeast(3);
		// each session's INITIATED event, and the seed's ACTIVE one
		assertThat(sessionIdsOf(events.records())).containsExactlyInAnyOrder(seed.toString(), seed.toString(),
				early.toString(), late.toString());
		assertThat(events.records().stream().map((e) -> e.get("event_id").asString()).toList()).doesNotHaveDuplicates();
		assertThat(events.records()
			.stream()
			.map((e) -> FeedCursor.decode(e.get("cursor").asString(), FeedCursor.Kind.EVENTS, this.tenant.id(),
					"cursor"))
			.toList()).isSorted();
	}

	private FeedCursor position(SseClient.Event event) {
		return FeedCursor.decode(event.id(), FeedCursor.Kind.CHANGES, this.tenant.id(), "id");
	}

	private static Predicate<List<SseClient.Event>> sessions(UUID... wanted) {
		return (events) -> sessionIds(events).containsAll(List.of(wanted).stream().map(UUID::toString).toList());
	}

	private static Predicate<List<SseClient.Event>> sessions(List<SseClient.Event> before, UUID... wanted) {
		return (events) -> {
			List<SseClient.Event> union = new ArrayList<>(before);
			union.addAll(events);
			return sessions(wanted).test(union);
		};
	}

	private static List<String> sessionIds(List<SseClient.Event> events) {
		return events.stream().map((event) -> HttpApi.json(event.data()).get("session_id").asString()).toList();
	}

	private static List<String> sessionIdsOf(List<JsonNode> records) {
		return records.stream().map((record) -> record.get("session_id").asString()).toList();
	}

}
