package io.rvfeed.webhook;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Delivers due messages. Every instance runs one: each claims what it can take with
 * {@code FOR UPDATE SKIP LOCKED} (V30), so instances share the work and each attempt is
 * made by one of them. Attempts run on a pool of {@code max-concurrency} threads, at most
 * {@code max-per-endpoint} of them for one endpoint: a slow or failing endpoint holds
 * only its own slots, and the other endpoints' messages are claimed and sent meanwhile.
 * <p>
 * A slot sends its claim's messages one after the other and records all their attempts in
 * one statement (one commit per claim, not per message). A claim holds its messages for a
 * lease longer than all their attempts ({@code timeout} times the claim's size, plus 5
 * s); an instance that dies mid-claim leaves them due again when the lease ends, and
 * sends them again with the same {@code webhook-id} (at least once).
 */
@Component
class DeliveryWorker implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

	private static final Duration BACKLOG_REFRESH = Duration.ofSeconds(5);

	/**
	 * The backlog's query reads every pending message: with a long backlog it waits this
	 * many times its own duration before it runs again (at most 2 % of the time).
	 */
	private static final int BACKLOG_SPACING = 50;

	/**
	 * While delivery gives way to the API the backlog's query waits, up to this long
	 * since its last run: with a burst's backlog it read every pending message (0.35 s of
	 * the database in a phase of 7 s with 100,000 written, docs/performance.md).
	 */
	static final Duration BACKLOG_REFRESH_WHILE_YIELDING = Duration.ofSeconds(60);

	private static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);

	private static final int PURGE_BATCH = 10_000;

	/**
	 * Messages a slot claims at first: small, so that a short backlog is spread over the
	 * endpoint's slots.
	 */
	static final int FIRST_CHUNK = 5;

	/**
	 * Messages a slot claims at a time while the endpoint still has due messages: one
	 * claim and one record of outcomes for all of them.
	 */
	static final int CHUNK = 20;

	/**
	 * Messages unpacked at once after which the log's statistics are taken again (a
	 * burst's backlog arrives in the log within seconds;
	 * {@link MessageRepository#analyze} says why), at most once per
	 * {@link #ANALYZE_SPACING}.
	 */
	static final int ANALYZE_AFTER = 10_000;

	private static final Duration ANALYZE_SPACING = Duration.ofMinutes(1);

	/** How long a slot may keep serving one endpoint before giving its turn. */
	private static final Duration SLOT_TURN = Duration.ofSeconds(1);

	private final WebhookProperties properties;

	private final MessageRepository messages;

	private final EndpointRepository endpoints;

	private final Payloads payloads;

	private final Deliverer deliverer;

	private final WebhookSecrets secrets;

	private final WebhookMetrics metrics;

	private final DeliveryPace pace;

	private final String instance;

	private final Map<MessageRepository.Due, AtomicInteger> inFlight = new ConcurrentHashMap<>();

	private final AtomicInteger busy = new AtomicInteger();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition wake = this.lock.newCondition();

	private volatile boolean running;

	private Instant lastAnalyze = Instant.EPOCH;

	private @Nullable Thread dispatcher;

	private @Nullable ExecutorService pool;

	DeliveryWorker(WebhookProperties properties, MessageRepository messages, EndpointRepository endpoints,
			Payloads payloads, Deliverer deliverer, WebhookSecrets secrets, WebhookMetrics metrics, DeliveryPace pace) {
		this.properties = properties;
		this.messages = messages;
		this.endpoints = endpoints;
		this.payloads = payloads;
		this.deliverer = deliverer;
		this.secrets = secrets;
		this.metrics = metrics;
		this.pace = pace;
		this.instance = instanceName();
	}

	private static String instanceName() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (Exception ex) {
			host = "unknown";
		}
		return host + "/" + ManagementFactory.getRuntimeMXBean().getPid() + "/"
				+ UUID.randomUUID().toString().substring(0, 8);
	}

	@Override
	public void start() {
		if (!this.properties.deliveryEnabled() || this.running) {
			return;
		}
		this.running = true;
		AtomicInteger n = new AtomicInteger();
		this.pool = Executors.newFixedThreadPool(this.properties.maxConcurrency(), (task) -> {
			Thread thread = new Thread(task, "webhook-delivery-" + n.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		Thread thread = new Thread(this::dispatch, "webhook-dispatcher");
		thread.setDaemon(true);
		this.dispatcher = thread;
		thread.start();
	}

	@Override
	public void stop() {
		this.running = false;
		signal();
		Thread thread = this.dispatcher;
		if (thread != null) {
			thread.interrupt();
		}
		ExecutorService executor = this.pool;
		if (executor != null) {
			executor.shutdown();
			try {
				if (!executor.awaitTermination(this.properties.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
					executor.shutdownNow();
				}
			}
			catch (InterruptedException ex) {
				executor.shutdownNow();
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// stops before the web server and the database pool
		return Integer.MAX_VALUE - 2048;
	}

	private void dispatch() {
		Instant nextBacklog = Instant.EPOCH;
		Instant lastBacklog = Instant.EPOCH;
		Instant nextPurge = Instant.now().plus(Duration.ofMinutes(1));
		while (this.running) {
			boolean claimed = false;
			try {
				claimed = claimRound(unpack());
				if (backlogDue(Instant.now(), nextBacklog, lastBacklog, this.pace::yielding)) {
					long began = System.nanoTime();
					this.metrics.backlog(this.messages.backlog());
					lastBacklog = Instant.now();
					nextBacklog = lastBacklog.plus(backlogRefresh(Duration.ofNanos(System.nanoTime() - began)));
				}
				if (Instant.now().isAfter(nextPurge)) {
					nextPurge = Instant.now().plus(PURGE_INTERVAL);
					purge();
				}
			}
			catch (RuntimeException ex) {
				log.warn("Webhook delivery could not claim messages: {}", ex.toString());
			}
			if (!claimed) {
				await(this.properties.pollInterval());
			}
		}
	}

	/** When the backlog's metrics are read again, after a read that took {@code took}. */
	static Duration backlogRefresh(Duration took) {
		Duration spaced = took.multipliedBy(BACKLOG_SPACING);
		return (spaced.compareTo(BACKLOG_REFRESH) > 0) ? spaced : BACKLOG_REFRESH;
	}

	/**
	 * Whether the backlog's gauges are read now: once their refresh is due, unless
	 * delivery gives way to the API and they were read within
	 * {@link #BACKLOG_REFRESH_WHILE_YIELDING}.
	 */
	static boolean backlogDue(Instant now, Instant next, Instant last, BooleanSupplier yielding) {
		return now.isAfter(next)
				&& (!now.isBefore(last.plus(BACKLOG_REFRESH_WHILE_YIELDING)) || !yielding.getAsBoolean());
	}

	/**
	 * Drops old delivered and failed messages, a batch at a time between claim rounds.
	 */
	private void purge() {
		int purged;
		int total = 0;
		do {
			purged = this.messages.purge(this.properties.retention(), PURGE_BATCH);
			total += purged;
			if (purged == PURGE_BATCH) {
				// deliveries go on between batches
				claimRound(this.messages::dueEndpoints);
			}
		}
		while (purged == PURGE_BATCH && this.running);
		if (total > 0) {
			log.info("Dropped {} webhook messages older than {} from the delivery log", total,
					this.properties.retention());
		}
	}

	/**
	 * Turns the outbox's rows into messages of the log: all of them, or, while delivery
	 * gives way to the API, the oldest row of each endpoint with nothing due (more than
	 * the pace sends meanwhile), so that the burst does not also pay for its messages'
	 * log. Answers where to find the endpoints with messages due now: while delivery
	 * gives way, their list read here, unless this unpacked any.
	 */
	private Supplier<List<MessageRepository.Due>> unpack() {
		if (!this.pace.yielding()) {
			MessageRepository.Unpacked unpacked;
			long messages = 0;
			do {
				unpacked = this.messages.unpackAny(MessageRepository.UNPACK_ROWS);
				messages += unpacked.messages();
			}
			while (unpacked.rows() == MessageRepository.UNPACK_ROWS && this.running && !this.pace.yielding());
			if (messages >= ANALYZE_AFTER && Instant.now().isAfter(this.lastAnalyze.plus(ANALYZE_SPACING))) {
				this.messages.analyze();
				this.lastAnalyze = Instant.now();
			}
			return this.messages::dueEndpoints;
		}
		List<MessageRepository.Due> due = this.messages.dueEndpoints();
		Set<MessageRepository.Due> dueNow = new HashSet<>(due);
		boolean unpacked = false;
		for (MessageRepository.Due endpoint : this.messages.packedEndpoints()) {
			if (this.running && !dueNow.contains(endpoint)) {
				unpacked |= this.messages.unpack(endpoint.tenantId(), endpoint.endpointId(), 1, false).messages() > 0;
			}
		}
		return unpacked ? this.messages::dueEndpoints : () -> due;
	}

	/**
	 * One pass over the endpoints with due messages ({@code dueEndpoints}, read only if a
	 * slot is free); answers whether it claimed any.
	 */
	private boolean claimRound(Supplier<List<MessageRepository.Due>> dueEndpoints) {
		int free = this.properties.maxConcurrency() - this.busy.get();
		if (free <= 0) {
			return false;
		}
		List<MessageRepository.Due> due = new ArrayList<>(dueEndpoints.get());
		Collections.shuffle(due);
		boolean claimed = false;
		for (MessageRepository.Due endpoint : due) {
			if (!this.running) {
				break;
			}
			AtomicInteger own = this.inFlight.computeIfAbsent(endpoint, (key) -> new AtomicInteger());
			int take = Math.min(this.properties.maxPerEndpoint() - own.get(),
					this.properties.maxConcurrency() - this.busy.get());
			if (take <= 0) {
				continue;
			}
			// one claim per free slot: each slot alone holds (and may release) its
			// messages
			for (int slot = 0; slot < take && this.running; slot++) {
				UUID claim = UUID.randomUUID();
				List<MessageRow> share = this.messages.claim(endpoint, FIRST_CHUNK, claim,
						this.properties.claimLease(FIRST_CHUNK));
				if (share.isEmpty()) {
					break;
				}
				claimed = true;
				own.incrementAndGet();
				this.busy.incrementAndGet();
				this.pool.execute(() -> {
					try {
						work(endpoint, share, claim);
					}
					catch (RuntimeException ex) {
						log.warn("Webhook endpoint {} could not be served: {}", endpoint.endpointId(), ex.toString());
					}
					finally {
						own.decrementAndGet();
						this.busy.decrementAndGet();
						signal();
					}
				});
			}
		}
		return claimed;
	}

	/**
	 * One slot's work for an endpoint: its share of a claim, then further claims of its
	 * own while the endpoint has due messages, for up to {@link #SLOT_TURN}, after which
	 * it gives the slot back so that every endpoint with due messages gets its turn.
	 */
	private void work(MessageRepository.Due endpoint, List<MessageRow> share, UUID firstClaim) {
		long turnEnds = System.nanoTime() + SLOT_TURN.toNanos();
		List<MessageRow> batch = share;
		UUID claim = firstClaim;
		while (true) {
			Optional<EndpointRow> row = this.endpoints.find(endpoint.tenantId(), endpoint.endpointId());
			if (row.isEmpty() || !row.get().enabled()) {
				// deleted or disabled meanwhile: due again once it is enabled
				this.messages.release(claim);
				return;
			}
			if (!serve(row.get(), batch, claim) || !this.running || System.nanoTime() > turnEnds) {
				return;
			}
			claim = UUID.randomUUID();
			batch = this.messages.claim(endpoint, CHUNK, claim, this.properties.claimLease(CHUNK));
			if (batch.isEmpty()) {
				return;
			}
		}
	}

	/**
	 * Sends a claim's messages one after the other until one fails, then records every
	 * attempt at once (one statement, one commit per claim). Answers whether the endpoint
	 * took them all; if not, the rest of the claim is due again at once for the next
	 * slot, instead of waiting behind this one.
	 */
	private boolean serve(EndpointRow endpoint, List<MessageRow> claimed, UUID claim) {
		Set<UUID> withoutBody = new HashSet<>();
		for (MessageRow message : claimed) {
			if (message.payload() == null) {
				withoutBody.add(message.messageId());
			}
		}
		List<MessageRow> ready = this.payloads.prepare(claimed);
		List<MessageRepository.Outcome> outcomes = new ArrayList<>();
		if (ready.size() < claimed.size()) {
			gone(claimed, ready, outcomes);
		}
		Instant start = Instant.now();
		List<String> keys = signingKeys(endpoint, start);
		Deliverer.@Nullable Outcome failure = null;
		Instant failedAt = start;
		boolean delivered = false;
		for (MessageRow message : ready) {
			if (!this.running || !this.pace.awaitTurn()) {
				break;
			}
			Instant now = Instant.now();
			String body = Objects.requireNonNull(message.payload());
			long timestamp = now.getEpochSecond();
			String id = message.webhookId();
			Deliverer.Outcome outcome = this.deliverer.send(endpoint.url(), id, timestamp,
					Signatures.header(keys, id, timestamp, body), body);
			this.metrics.attempt(outcome.result());
			Instant next = outcome.delivered() || outcome.result().equals("gone") ? null : nextAttempt(message, now);
			outcomes.add(new MessageRepository.Outcome(
					new MessageRepository.Attempt(message.tenantId(), message.messageId(), message.endpointId(), now,
							outcome.durationMs(), outcome.statusCode(), outcome.result(), outcome.error(),
							outcome.responseBody(), next, this.instance),
					withoutBody.contains(message.messageId()) ? body : null));
			if (!outcome.delivered()) {
				failure = outcome;
				failedAt = now;
				break;
			}
			delivered = true;
		}
		Set<UUID> held = this.messages.finish(claim, endpoint.tenantId(), this.instance, outcomes);
		for (MessageRepository.Outcome outcome : outcomes) {
			MessageRepository.Attempt attempt = outcome.attempt();
			if (held.contains(attempt.messageId()) && !attempt.status().equals("pending")) {
				this.metrics.message(attempt.status());
			}
		}
		if (outcomes.size() < claimed.size()) {
			// a failure or a stop left some unattempted: due again now
			this.messages.release(claim);
		}
		if (delivered && endpoint.failingSince() != null) {
			this.endpoints.succeeded(endpoint.tenantId(), endpoint.endpointId());
		}
		if (failure == null) {
			return true;
		}
		failed(endpoint, failure, failedAt);
		return false;
	}

	/**
	 * The secrets that sign now: the current one, and the previous one in its overlap.
	 */
	private List<String> signingKeys(EndpointRow endpoint, Instant now) {
		List<String> keys = new ArrayList<>();
		keys.add(this.secrets.decrypt(endpoint.tenantId(), endpoint.endpointId(), endpoint.secret()));
		if (endpoint.previousSecret() != null && endpoint.previousSecretExpiresAt() != null
				&& endpoint.previousSecretExpiresAt().isAfter(now)) {
			keys.add(this.secrets.decrypt(endpoint.tenantId(), endpoint.endpointId(), endpoint.previousSecret()));
		}
		return keys;
	}

	/** Fails the messages whose event is no longer kept: there is nothing to send. */
	private void gone(List<MessageRow> claimed, List<MessageRow> ready, List<MessageRepository.Outcome> outcomes) {
		Set<UUID> kept = new HashSet<>();
		ready.forEach((message) -> kept.add(message.messageId()));
		for (MessageRow message : claimed) {
			if (!kept.contains(message.messageId())) {
				outcomes.add(new MessageRepository.Outcome(new MessageRepository.Attempt(message.tenantId(),
						message.messageId(), message.endpointId(), Instant.now(), 0, null, "event_gone",
						"The event of this message is no longer kept: nothing to send.", null, null, this.instance),
						null));
			}
		}
	}

	/**
	 * After a failed attempt: 410 disables the endpoint, and so does failing too long.
	 */
	private void failed(EndpointRow endpoint, Deliverer.Outcome outcome, Instant now) {
		if (outcome.result().equals("gone")) {
			if (this.endpoints.disable(endpoint.tenantId(), endpoint.endpointId(),
					"The receiver answered 410 Gone at " + now + ".")) {
				log.info("Webhook endpoint {} of tenant {} disabled: it answered 410 Gone", endpoint.endpointId(),
						endpoint.tenantId());
			}
			return;
		}
		Instant failingSince = this.endpoints.failed(endpoint.tenantId(), endpoint.endpointId());
		if (failingSince != null && failingSince.plus(this.properties.disableAfter()).isBefore(now)
				&& this.endpoints.disable(endpoint.tenantId(), endpoint.endpointId(),
						"Every attempt failed since " + failingSince + ", for longer than "
								+ this.properties.disableAfter() + " (rvfeed.webhook.disable-after); the last: "
								+ outcome.error())) {
			log.info("Webhook endpoint {} of tenant {} disabled after failing since {}", endpoint.endpointId(),
					endpoint.tenantId(), failingSince);
		}
	}

	/** When the next attempt is due, with up to 10 % jitter; null when none is left. */
	private @Nullable Instant nextAttempt(MessageRow message, Instant now) {
		List<Duration> schedule = this.properties.retrySchedule();
		int retry = message.attempts();
		if (retry >= schedule.size()) {
			return null;
		}
		long wait = schedule.get(retry).toMillis();
		long jitter = (long) (wait * 0.1 * ThreadLocalRandom.current().nextDouble());
		return now.plusMillis(wait + jitter);
	}

	private void signal() {
		this.lock.lock();
		try {
			this.wake.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void await(Duration wait) {
		this.lock.lock();
		try {
			this.wake.await(wait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
		}
		finally {
			this.lock.unlock();
		}
	}

}
