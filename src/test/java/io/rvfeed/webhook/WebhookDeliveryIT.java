package io.rvfeed.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.rvfeed.support.CommitHorizon;
import io.rvfeed.support.HttpApi;
import io.rvfeed.support.ServiceTest;
import io.rvfeed.support.TestTenants.TestTenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Webhook delivery end to end: writes through the API, a real receiver on loopback that
 * verifies each signature with its own implementation of the specification, and the
 * delivery log read back through the API. The suite retries after 1 s, 2 s and 4 s.
 */
class WebhookDeliveryIT extends ServiceTest {

	private static final Duration WITHIN = Duration.ofSeconds(20);

	@Autowired
	DSLContext db;

	@Autowired
	PlatformTransactionManager transactions;

	@Autowired
	MessageRepository messages;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	DeliveryWorker worker;

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

	private Webhooks webhooks(TestTenant tenant) {
		return new Webhooks(this.http, tenant.key());
	}

	@Test
	void aReceiverFailingTwiceThenSucceedingGetsTheSameIdThreeTimesEachValidlySigned() throws Exception {
		TestTenant tenant = this.tenants.create();
		Webhooks.Made endpoint = webhooks(tenant).create(this.receiver.url("/flaky"), "[\"rv_session.created\"]");
		this.receiver.secrets("/flaky", endpoint.secret());
		this.receiver.answer((path, n) -> (n <= 2) ? 500 : 200);

		UUID sessionId = write(tenant).createSession(UUID.randomUUID(), "2026-01-01T10:00:00Z");

		List<WebhookReceiver.Delivery> got = this.receiver.await("/flaky", 3, WITHIN);
		assertThat(got).hasSize(3);
		assertThat(got).extracting(WebhookReceiver.Delivery::id).containsOnly(got.get(0).id());
		assertThat(got).allMatch(WebhookReceiver.Delivery::valid, "valid signature");
		assertThat(got).extracting(WebhookReceiver.Delivery::body).containsOnly(got.get(0).body());
		JsonNode body = HttpApi.json(got.get(0).body());
		assertThat(body.get("type").asString()).isEqualTo("rv_session.created");
		assertThat(body.get("data").get("session").get("session_id").asString()).isEqualTo(sessionId.toString());
		assertThat(body.get("data").get("new_state").asString()).isEqualTo("INITIATED");
		assertThat(body.get("data").get("event").get("cursor").asString()).isNotBlank();

		String messageId = got.get(0).id();
		JsonNode message = awaitStatus(webhooks(tenant), endpoint.id(), messageId, "delivered");
		assertThat(message.get("attempts").asInt()).isEqualTo(3);
		JsonNode attempts = webhooks(tenant).content(endpoint.id() + "/messages/" + messageId + "/attempts")
			.get("results");
		assertThat(attempts).hasSize(3);
		assertThat(attempts.get(0).get("status_code").asInt()).isEqualTo(500);
		assertThat(attempts.get(0).get("next_attempt_at").isNull()).isFalse();
		assertThat(attempts.get(2).get("status_code").asInt()).isEqualTo(200);
		assertThat(attempts.get(2).get("response_body").asString()).contains(messageId);
		assertThat(webhooks(tenant).content(endpoint.id().toString()).get("failing_since").isNull()).isTrue();
	}

	@Test
	void messageIdsAreVersion7UuidsMadeWhenTheirWriteCommitted() throws Exception {
		TestTenant tenant = this.tenants.create();
		Webhooks.Made endpoint = webhooks(tenant).create(this.receiver.url("/ids"), "[]");
		this.receiver.secrets("/ids", endpoint.secret());
		long beforeFirst = System.currentTimeMillis();
		UUID first = write(tenant).createSession(UUID.randomUUID(), "2026-01-01T10:00:00Z");
		long afterFirst = System.currentTimeMillis();
		Thread.sleep(5);
		long beforeSecond = System.currentTimeMillis();
		UUID second = write(tenant).createSession(UUID.randomUUID(), "2026-01-01T10:00:00Z");
		long afterSecond = System.currentTimeMillis();

		List<WebhookReceiver.Delivery> got = this.receiver.await("/ids", 2, WITHIN);
		UUID firstId = messageId(got, first);
		UUID secondId = messageId(got, second);
		assertThat(firstId.version()).isEqualTo(7);
		assertThat(secondId.version()).isEqualTo(7);
		assertThat(firstId.variant()).isEqualTo(2);
		assertThat(firstId.getMostSignificantBits() >>> 16).isBetween(beforeFirst, afterFirst);
		assertThat(secondId.getMostSignificantBits() >>> 16).isBetween(beforeSecond, afterSecond);
		assertThat(secondId.toString()).isGreaterThan(firstId.toString());
	}

	@Test
	void aWritesMessagesAreListedAtOnceThoughNoDeliveryHasTakenThemFromTheOutbox() throws Exception {
		TestTenant tenant = this.tenants.create();
		Webhooks.Made endpoint = webhooks(tenant).create(this.receiver.url("/listed"), "[]");
		this.receiver.secrets("/listed", endpoint.secret());
		JsonNode listed;
		this.worker.stop();
		try {
			UUID sessionId = write(tenant).createSession(UUID.randomUUID(), "2026-01-01T10:00:00Z");
			assertThat(outboxRows(tenant.id())).as("the write's messages, packed in one outbox row").isEqualTo(1);

			listed = webhooks(tenant).content(endpoint.id() + "/messages").get("results");
			assertThat(listed).hasSize(1);
			assertThat(listed.get(0).get("session_id").asString()).isEqualTo(sessionId.toString());
			assertThat(listed.get(0).get("event_type").asString()).isEqualTo("rv_session.created");
			assertThat(listed.get(0).get("status").asString()).isEqualTo("pending");
			assertThat(outboxRows(tenant.id())).as("taken into the delivery log by the read").isZero();
		}
		finally {
			this.worker.start();
		}
		List<WebhookReceiver.Delivery> got = this.receiver.await("/listed", 1, WITHIN);
		assertThat(got).hasSize(1);
		assertThat(got.get(0).id()).as("sent under the id listed").isEqualTo(listed.get(0).get("id").asString());
	}

	private int outboxRows(UUID tenantId) {
		return this.db.fetchOne("select count(*) from webhook_outbox where tenant_id = ?", tenantId)
			.get(0, Integer.class);
	}

	@Test
	void theMessagesOfOneBatchGetDistinctVersion7IdsInTheOrderOfItsEvents() {
		TestTenant tenant = this.tenants.create();
		// five endpoints and 999 events: 4,995 messages from one statement
		List<UUID> endpoints = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			endpoints.add(webhooks(tenant).create(this.receiver.url("/batch-" + i), "[]").id());
		}
		List<String> batches = EndingBatches.of(this.fixtures, tenant, 333);
		assertThat(batches).hasSize(1);
		long before = System.currentTimeMillis();
		assertThat(write(tenant).batch(batches.get(0), "application/json").status()).isEqualTo(200);
		long after = System.currentTimeMillis();
		// reading an endpoint's messages takes what the outbox still holds of them into
		// the log
		for (UUID endpoint : endpoints) {
			assertThat(webhooks(tenant).get(endpoint + "/messages?limit=1").status()).isEqualTo(200);
		}

		List<UUID> ids = new ArrayList<>();
		for (UUID endpoint : endpoints) {
			List<UUID> own = this.db.fetch(
					"select message_id from webhook_message where tenant_id = ? and endpoint_id = ? order by arrival",
					tenant.id(), endpoint)
				.getValues(0, UUID.class);
			assertThat(own).hasSize(999).isSortedAccordingTo(Comparator.comparing(UUID::toString));
			assertThat(own.get(0).getMostSignificantBits() >>> 16).isBetween(before, after);
			assertThat(own.get(own.size() - 1).getMostSignificantBits() >>> 16).isBetween(before, after);
			ids.addAll(own);
		}
		assertThat(ids).hasSize(4995).doesNotHaveDuplicates();
		assertThat(ids).allMatch((id) -> id.version() == 7 && id.variant() == 2, "version 7, RFC variant");
	}

	/** The UUID of the webhook-id ({@code msg_<uuid>}) of the session's delivery. */
	private static UUID messageId(List<WebhookReceiver.Delivery> deliveries, UUID sessionId) {
		String id = deliveries.stream()
			.filter((d) -> d.body().contains(sessionId.toString()))
			.findFirst()
			.orElseThrow()
			.id();
		assertThat(id).startsWith("msg_");
		return UUID.fromString(id.substring("msg_".length()));
	}

	@Test
	void stateChangesAndEndsCarryThePreviousStateAndTheDuration() throws Exception {
		TestTenant tenant = this.tenants.create();
		Webhooks.Made endpoint = webhooks(tenant).create(this.receiver.url("/changes"),
				"[\"rv_session.state_changed\", \"rv_session.ended\"]");
		this.receiver.secrets("/changes", endpoint.secret());
		UUID sessionId = write(tenant).createSession(UUID.randomUUID(), "2026-01-01T10:00:00Z");
		assertThat(write(tenant).event(sessionId, "ACTIVE", "2026-01-01T10:00:05Z").status()).isEqualTo(201);
		assertThat(write(tenant)
			.event(sessionId, "{\"state\":\"FAILED\",\"occurred_at\":\"2026-01-01T10:01:05Z\",\"reason\":\"lost\"}")
			.status()).isEqualTo(201);

		List<WebhookReceiver.Delivery> got = this.receiver.await("/changes", 2, WITHIN);
		assertThat(got).hasSize(2).allMatch(WebhookReceiver.Delivery::valid);
		JsonNode changed = got.stream()
			.map((d) -> HttpApi.json(d.body()))
			.filter((b) -> b.get("type").asString().equals("rv_session.state_changed"))
			.findFirst()
			.orElseThrow();
		assertThat(changed.get("data").get("previous_state").asString()).isEqualTo("INITIATED");
		assertThat(changed.get("data").get("new_state").asString()).isEqualTo("ACTIVE");
		JsonNode ended = got.stream()
			.map((d) -> HttpApi.json(d.body()))
			.filter((b) -> b.get("type").asString().equals("rv_session.ended"))
			.findFirst()
			.orElseThrow();
		assertThat(ended.get("data").get("previous_state").asString()).isEqualTo("ACTIVE");
		assertThat(ended.get("data").get("new_state").asString()).isEqualTo("FAILED");
		assertThat(ended.get("data").get("reason").asString()).isEqualTo("lost");
		assertThat(ended.get("data").get("duration").asString()).isEqualTo("PT1M");
		assertThat(this.receiver.deliveries("/changes")).hasSize(2);
	}

	@Test
	void aReceiverAnswering410IsDisabledAtOnce() throws Exception {
		TestTenant tenant = this.tenants.create();
		Webhooks.Made endpoint = webhooks(tenant).create(this.receiver.url("/gone"), "[]");
		this.receiver.secrets("/gone", endpoint.secret());
		this.receiver.answer((path, n) -> 410);
		write(tenant).createSession(UUID.randomUUID(), "2026-01-01T10:00:00Z");

		assertThat(this.receiver.await("/gone", 1, WITHIN)).hasSize(1);
		JsonNode state = awaitDisabled(webhooks(tenant), endpoint.id());
		assertThat(state.get("disabled_reason").asString()).contains("410");
		String messageId = this.receiver.deliveries("/gone").get(0).id();
		awaitStatus(webhooks(tenant), endpoint.id(), messageId, "failed");
		// a disabled endpoint gets no new messages
		write(tenant).createSession(UUID.randomUUID(), "2026-01-01T10:00:00Z");
		Thread.sleep(1500);
		assertThat(this.receiver.deliveries("/gone")).hasSize(1);
	}

	@Test
	void aHangingReceiverDoesNotDelayAnotherEndpoint() throws Exception {
		TestTenant slow = this.tenants.create();
		TestTenant fast = this.tenants.create();
		webhooks(slow).create(this.receiver.url("/hang"), "[]");
		Webhooks.Made quick = webhooks(fast).create(this.receiver.url("/fast"), "[]");
		this.receiver.secrets("/fast", quick.secret());
		this.receiver.answer((path, n) -> path.equals("/hang") ? -1 : 200);
		for (int i = 0; i < 12; i++) {
			write(slow).createSession(UUID.randomUUID(), "2026-01-01T10:00:00Z");
		}
		assertThat(this.receiver.await("/hang", 4, WITHIN)).hasSizeGreaterThanOrEqualTo(4);

		long worst = 0;
		for (int i = 1; i <= 3; i++) {
			long written = System.nanoTime();
			write(fast).createSession(UUID.randomUUID(), "2026-01-01T10:00:00Z");
			List<WebhookReceiver.Delivery> got = this.receiver.await("/fast", i, WITHIN);
			assertThat(got).hasSize(i);
			worst = Math.max(worst, Duration.ofNanos(got.get(i - 1).receivedNanos() - written).toMillis());
		}
		System.out.printf("Hanging endpoint: another endpoint's deliveries took at most %d ms after the write%n",
				worst);
		// the poll interval (250 ms) plus at most 1 s of delay
		assertThat(worst).isLessThan(1250);
	}

	@Test
	void aRolledBackWriteHasNoMessageAndACommittedOneHasOne() throws Exception {
		TestTenant tenant = this.tenants.create();
		Webhooks.Made endpoint = webhooks(tenant).create(this.receiver.url("/tx"), "[\"rv_session.state_changed\"]");
		UUID sessionId = write(tenant).createSession(UUID.randomUUID(), "2026-01-01T10:00:00Z");
		UUID rolledBack = UUID.randomUUID();
		UUID committed = UUID.randomUUID();
		TransactionTemplate transaction = new TransactionTemplate(this.transactions);
		assertThatThrownBy(() -> transaction.executeWithoutResult((status) -> {
			insertEvent(tenant.id(), sessionId, rolledBack);
			assertThat(messages(tenant.id(), rolledBack)).as("inside the transaction").isEqualTo(1);
			throw new IllegalStateException("roll back");
		})).hasMessage("roll back");
		assertThat(messages(tenant.id(), rolledBack)).isZero();

		transaction.executeWithoutResult((status) -> insertEvent(tenant.id(), sessionId, committed));
		assertThat(messages(tenant.id(), committed)).isEqualTo(1);
		List<WebhookReceiver.Delivery> got = this.receiver.await("/tx", 1, WITHIN);
		assertThat(got).hasSize(1);
		assertThat(got.get(0).body()).contains(committed.toString()).doesNotContain(rolledBack.toString());
		assertThat(endpoint.id()).isNotNull();
	}

	@Test
	void deletingAnEndpointWaitsForAWriteInFlightAndTakesItsMessageToo() throws Exception {
		TestTenant tenant = this.tenants.create();
		Webhooks.Made endpoint = webhooks(tenant).create(this.receiver.url("/deleted"), "[]");
		UUID sessionId = write(tenant).createSession(UUID.randomUUID(), "2026-01-01T10:00:00Z");
		UUID eventId = UUID.randomUUID();
		CountDownLatch written = new CountDownLatch(1);
		CountDownLatch commit = new CountDownLatch(1);
		CompletableFuture<Void> writer = CompletableFuture
			.runAsync(() -> new TransactionTemplate(this.transactions).executeWithoutResult((status) -> {
				insertEvent(tenant.id(), sessionId, eventId);
				written.countDown();
				await(commit);
			}));
		assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<Integer> deleted = CompletableFuture
			.supplyAsync(() -> webhooks(tenant).call("DELETE", endpoint.id() + "/", "").status());
		Thread.sleep(500);
		assertThat(deleted).as("the delete waits for the writer that holds the endpoint").isNotDone();
		commit.countDown();
		writer.get(10, TimeUnit.SECONDS);
		assertThat(deleted.get(10, TimeUnit.SECONDS)).isEqualTo(204);

		assertThat(messages(tenant.id(), eventId)).as("the writer's message went with its endpoint").isZero();
		assertThat(this.db
			.fetchOne("""
					select (select count(*) from webhook_message where tenant_id = ? and endpoint_id = ?)
					     + (select count(*) from webhook_outbox where tenant_id = ? and endpoint_id = ?)""",
					tenant.id(), endpoint.id(), tenant.id(), endpoint.id())
			.get(0, Integer.class)).isZero();
		UUID after = UUID.randomUUID();
		insertEvent(tenant.id(), sessionId, after);
		assertThat(messages(tenant.id(), after)).isZero();
	}

	private static void await(CountDownLatch latch) {
		try {
			assertThat(latch.await(20, TimeUnit.SECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void duringARotationDeliveriesAreSignedWithBothSecrets() throws Exception {
		TestTenant tenant = this.tenants.create();
		Webhooks.Made endpoint = webhooks(tenant).create(this.receiver.url("/rotate"), "[]");
		HttpApi.Reply rotation = webhooks(tenant).call("POST", endpoint.id() + "/rotate-secret", "");
		assertThat(rotation.status()).as(rotation.toString()).isEqualTo(200);
		String newSecret = rotation.json().get("content").get("secret").asString();
		assertThat(newSecret).startsWith("whsec_").isNotEqualTo(endpoint.secret());
		assertThat(rotation.json().get("content").get("previous_secret_expires_at").asString()).isNotBlank();
		this.receiver.secrets("/rotate", endpoint.secret(), newSecret);

		write(tenant).createSession(UUID.randomUUID(), "2026-01-01T10:00:00Z");
		List<WebhookReceiver.Delivery> got = this.receiver.await("/rotate", 1, WITHIN);
		assertThat(got).hasSize(1);
		assertThat(got.get(0).signature().split(" ")).hasSize(2);
		assertThat(got.get(0).validFor()).containsExactlyInAnyOrder(endpoint.secret(), newSecret);
		assertThat(webhooks(tenant).content(endpoint.id().toString()).has("secret")).isFalse();
	}

	@Test
	void aMessageIsRetriedOnRequestAndReplaySendsEverythingSinceACursorAgainUnderItsId() throws Exception {
		TestTenant tenant = this.tenants.create();
		Webhooks.Made endpoint = webhooks(tenant).create(this.receiver.url("/replay"), "[]");
		this.receiver.secrets("/replay", endpoint.secret());
		UUID first = write(tenant).createSession(UUID.randomUUID(), "2026-01-01T10:00:00Z");
		UUID second = write(tenant).createSession(UUID.randomUUID(), "2026-01-01T10:00:00Z");
		List<WebhookReceiver.Delivery> got = this.receiver.await("/replay", 2, WITHIN);
		assertThat(got).hasSize(2);
		String firstId = got.stream().filter((d) -> d.body().contains(first.toString())).findFirst().orElseThrow().id();
		awaitStatus(webhooks(tenant), endpoint.id(), firstId, "delivered");

		HttpApi.Reply retry = webhooks(tenant).call("POST", endpoint.id() + "/messages/" + firstId + "/retry", "");
		assertThat(retry.status()).as(retry.toString()).isEqualTo(202);
		assertThat(this.receiver.await("/replay", 3, WITHIN)).hasSize(3);
		assertThat(this.receiver.deliveries("/replay").get(2).id()).isEqualTo(firstId);

		JsonNode page = webhooks(tenant).content(endpoint.id() + "/messages?limit=1");
		assertThat(page.get("results")).hasSize(1);
		assertThat(page.get("next_before").asString()).isNotBlank();

		// replay re-sends what the events feed shows
		CommitHorizon.awaitPassedNow(this.jdbc);
		HttpApi.Reply replay = webhooks(tenant).call("POST", endpoint.id() + "/replay",
				"{\"since\":\"" + Instant.now().minusSeconds(3600) + "\"}");
		assertThat(replay.status()).as(replay.toString()).isEqualTo(202);
		assertThat(replay.json().get("content").get("queued").asInt()).isEqualTo(2);
		List<WebhookReceiver.Delivery> all = this.receiver.await("/replay", 5, WITHIN);
		assertThat(all).hasSize(5);
		assertThat(all).extracting(WebhookReceiver.Delivery::id)
			.containsOnly(firstId,
					got.stream().filter((d) -> d.body().contains(second.toString())).findFirst().orElseThrow().id());
		assertThat(all).allMatch(WebhookReceiver.Delivery::valid);
	}

	@Test
	void oldDeliveredAndFailedMessagesLeaveTheLogButPendingOnesStay() throws Exception {
		TestTenant tenant = this.tenants.create();
		Webhooks.Made endpoint = webhooks(tenant).create(this.receiver.url("/old"), "[]");
		this.receiver.answer((path, n) -> 200);
		for (int i = 0; i < 3; i++) {
			write(tenant).createSession(UUID.randomUUID(), "2026-01-01T10:00:00Z");
		}
		List<WebhookReceiver.Delivery> got = this.receiver.await("/old", 3, WITHIN);
		assertThat(got).hasSize(3);
		for (WebhookReceiver.Delivery delivery : got) {
			awaitStatus(webhooks(tenant), endpoint.id(), delivery.id(), "delivered");
		}
		UUID old = UUID.fromString(got.get(0).id().substring(4));
		UUID oldPending = UUID.fromString(got.get(1).id().substring(4));
		this.db.execute("update webhook_message set last_attempt_at = now() - interval '40 days' "
				+ "where tenant_id = ? and message_id = ?", tenant.id(), old);
		// pending again (say, retried) and long untouched: kept
		this.db.execute(
				"update webhook_message set status = 'pending', next_attempt_at = now() + interval '1 day', "
						+ "last_attempt_at = now() - interval '40 days' where tenant_id = ? and message_id = ?",
				tenant.id(), oldPending);
		while (this.messages.purge(Duration.ofDays(30), 10_000) == 10_000) {
			// other tests' old messages, if any
		}
		assertThat(webhooks(tenant).get(endpoint.id() + "/messages/" + got.get(0).id()).status()).isEqualTo(404);
		assertThat(this.db
			.fetchOne("select count(*) from webhook_attempt where tenant_id = ? and message_id = ?", tenant.id(), old)
			.get(0, Integer.class)).isZero();
		assertThat(webhooks(tenant).content(endpoint.id() + "/messages").get("results")).hasSize(2);
	}

	private void insertEvent(UUID tenantId, UUID sessionId, UUID eventId) {
		this.db.execute("""
				insert into rv_session_event (tenant_id, event_id, session_id, state, occurred_at, received_at, effect,
				    session_state)
				values (?, ?, ?, 'ACKNOWLEDGED', now(), now(), 'applied', 'ACKNOWLEDGED')""", tenantId, eventId,
				sessionId);
	}

	/** The event's messages, in the delivery log or still in the outbox. */
	private int messages(UUID tenantId, UUID eventId) {
		return this.db.fetchOne("""
				select (select count(*) from webhook_message where tenant_id = ? and event_id = ?)
				     + (select count(*) from webhook_outbox o
				        join rv_session_event e on e.tenant_id = o.tenant_id and e.change_tx = o.change_tx
				                               and e.arrival = any (o.arrivals)
				        where o.tenant_id = ? and e.event_id = ?)""", tenantId, eventId, tenantId, eventId)
			.get(0, Integer.class);
	}

	static JsonNode awaitStatus(Webhooks webhooks, UUID endpointId, String messageId, String status)
			throws InterruptedException {
		long deadline = System.nanoTime() + WITHIN.toNanos();
		JsonNode message;
		do {
			message = webhooks.content(endpointId + "/messages/" + messageId);
			if (message.get("status").asString().equals(status)) {
				return message;
			}
			Thread.sleep(50);
		}
		while (System.nanoTime() < deadline);
		assertThat(message.get("status").asString()).as(message.toString()).isEqualTo(status);
		return message;
	}

	static JsonNode awaitDisabled(Webhooks webhooks, UUID endpointId) throws InterruptedException {
		long deadline = System.nanoTime() + WITHIN.toNanos();
		JsonNode endpoint;
		do {
			endpoint = webhooks.content(endpointId.toString());
			if (!endpoint.get("enabled").asBoolean()) {
				return endpoint;
			}
			Thread.sleep(50);
		}
		while (System.nanoTime() < deadline);
		assertThat(endpoint.get("enabled").asBoolean()).as(endpoint.toString()).isFalse();
		return endpoint;
	}

}
