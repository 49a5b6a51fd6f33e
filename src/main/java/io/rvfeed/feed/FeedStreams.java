package io.rvfeed.feed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import io.rvfeed.auth.ApiPrincipal;
import io.rvfeed.web.NonBlockingResponse;

import io.rvfeed.db.DatabaseAvailability;
import io.rvfeed.web.DatabaseUnavailable;

/**
 * The open live streams. Each tenant's streams are polled together: one read of the
 * database per tenant and poll finds the changes for all of its streams that are caught
 * up (a stream resuming from further back reads on its own until it catches up), so that
 * many streams do not multiply the load, and a change written through any instance
 * reaches streams on every instance. Writes never block: a stream whose client is not
 * reading is skipped, and disconnected once it has taken nothing for
 * {@code rvfeed.stream.write-deadline}; it resumes with {@code Last-Event-ID}.
 */
@Component
class FeedStreams implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(FeedStreams.class);

	/** Sends the headers at once and tells EventSource clients how soon to reconnect. */
	private static final byte[] OPENING = ":stream open\nretry:3000\n\n".getBytes(StandardCharsets.UTF_8);

	private static final byte[] KEEP_ALIVE = ":keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

	private static final int POLL_THREADS = 2;

	/** Most streams of one tenant that read on their own (catching up) in one poll. */
	private static final int MAX_CATCHING_UP_PER_POLL = 4;

	/** The most bytes of events read for a stream and waiting for its client. */
	private static final int MAX_QUEUED_BYTES = 64 * 1024;

	/** The fewest changes a stream that is catching up reads on its own. */
	private static final int MIN_READ = 16;

	private static final long MIN_REPOLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private final FeedRepository feed;

	private final StreamProperties properties;

	private final OpenResponses openResponses;

	private final ObjectMapper json;

	private final Map<UUID, TenantStreams> tenants = new ConcurrentHashMap<>();

	private volatile ScheduledExecutorService ticker;

	private volatile ExecutorService pollers;

	private final DatabaseAvailability database;

	FeedStreams(FeedRepository feed, StreamProperties properties, OpenResponses openResponses, ObjectMapper json,
			DatabaseAvailability database) {
		this.feed = feed;
		this.database = database;
		this.properties = properties;
		this.openResponses = openResponses;
		this.json = json;
	}

	/**
	 * Opens a stream of the caller's tenant's changes on the response, from now on or
	 * after {@code resumeAfter}, or refuses it with 429 when the caller is at a cap.
	 */
	void open(ApiPrincipal caller, FeedQuery query, @Nullable ChangePosition resumeAfter, HttpServletRequest request,
			HttpServletResponse response) throws IOException {
		OpenResponses.Lease lease = this.openResponses.open(OpenResponses.Kind.STREAM, caller);
		try {
			Subscription subscription = (resumeAfter != null)
					? new Subscription(caller.tenantId(), query, resumeAfter, null)
					: new Subscription(caller.tenantId(), query, null, this.feed.streamStart());
			response.setStatus(HttpServletResponse.SC_OK);
			response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
			NonBlockingResponse out = NonBlockingResponse.start(request, response, subscription::writable,
					() -> close(subscription, lease));
			subscription.out = out;
			this.tenants.compute(caller.tenantId(), (id, streams) -> {
				TenantStreams group = (streams != null) ? streams : new TenantStreams(id);
				group.subscriptions.add(subscription);
				return group;
			});
			lease.onRevoked(subscription::end);
			if (out.ended()) {
				close(subscription, lease);
			}
		}
		catch (IOException | RuntimeException ex) {
			lease.close();
			throw ex;
		}
	}

	private void close(Subscription subscription, OpenResponses.Lease lease) {
		lease.close();
		this.tenants.computeIfPresent(subscription.tenantId, (id, group) -> {
			group.subscriptions.remove(subscription);
			return group.subscriptions.isEmpty() ? null : group;
		});
	}

	int openStreams() {
		return this.tenants.values().stream().mapToInt((group) -> group.subscriptions.size()).sum();
	}

	int openStreams(UUID tenantId) {
		TenantStreams group = this.tenants.get(tenantId);
		return (group != null) ? group.subscriptions.size() : 0;
	}

	@Override
	public void start() {
		this.pollers = Executors.newFixedThreadPool(POLL_THREADS, (task) -> {
			Thread thread = new Thread(task, "feed-stream-poller");
			thread.setDaemon(true);
			return thread;
		});
		ScheduledExecutorService tick = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "feed-stream-ticker");
			thread.setDaemon(true);
			return thread;
		});
		long interval = this.properties.pollInterval().toMillis();
		tick.scheduleWithFixedDelay(this::tick, interval, interval, TimeUnit.MILLISECONDS);
		this.ticker = tick;
	}

	/**
	 * Ends every open stream before the web server's graceful shutdown, which would
	 * otherwise wait for them; clients reconnect elsewhere with their last event id.
	 */
	@Override
	public void stop() {
		ScheduledExecutorService tick = this.ticker;
		this.ticker = null;
		if (tick != null) {
			tick.shutdownNow();
		}
		if (this.pollers != null) {
			this.pollers.shutdownNow();
		}
		this.tenants.values()
			.forEach((group) -> List.copyOf(group.subscriptions).forEach((subscription) -> subscription.end()));
	}

	@Override
	public boolean isRunning() {
		return this.ticker != null;
	}

	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE;
	}

	/** Starts a poll of every tenant whose previous poll has finished. */
	private void tick() {
		for (TenantStreams group : this.tenants.values()) {
			if (!schedule(group)) {
				return;
			}
		}
	}

	/**
	 * Starts a poll of the tenant's streams unless one is running; answers false when the
	 * service is stopping.
	 */
	private boolean schedule(TenantStreams group) {
		if (!group.polling.compareAndSet(false, true)) {
			return true;
		}
		try {
			this.pollers.execute(() -> {
				try {
					group.poll();
				}
				catch (RuntimeException ex) {
					log.warn("Polling the live streams of tenant {} failed", group.tenantId, ex);
				}
				finally {
					group.lastPollNanos = System.nanoTime();
					group.polling.set(false);
				}
			});
			return true;
		}
		catch (RejectedExecutionException ex) {
			group.polling.set(false);
			return false;
		}
	}

	/**
	 * A stream that is behind can take data again: poll its tenant now rather than at the
	 * next tick, though not more often than {@link #MIN_REPOLL_NANOS}, so that a client
	 * catching up gets its changes as fast as it reads them.
	 */
	private void pollSoon(UUID tenantId) {
		TenantStreams group = this.tenants.get(tenantId);
		ScheduledExecutorService tick = this.ticker;
		if (group == null || tick == null || !group.repollPending.compareAndSet(false, true)) {
			return;
		}
		long wait = Math.max(0, MIN_REPOLL_NANOS - (System.nanoTime() - group.lastPollNanos));
		try {
			tick.schedule(() -> {
				group.repollPending.set(false);
				schedule(group);
			}, wait, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			group.repollPending.set(false);
		}
	}

	private byte[] event(UUID tenantId, FeedRepository.Change change) {
		byte[] data = this.json.writeValueAsBytes(change.session());
		byte[] head = ("id:" + ChangeCursors.encode(tenantId, change.position()) + "\nevent:session\ndata:")
			.getBytes(StandardCharsets.UTF_8);
		byte[] event = new byte[head.length + data.length + 2];
		System.arraycopy(head, 0, event, 0, head.length);
		System.arraycopy(data, 0, event, head.length, data.length);
		event[event.length - 2] = '\n';
		event[event.length - 1] = '\n';
		return event;
	}

	/** A tenant's open streams, polled together. */
	private final class TenantStreams {

		private final UUID tenantId;

		private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();

		private final AtomicBoolean polling = new AtomicBoolean();

		private volatile long lastPollNanos = System.nanoTime();

		private final AtomicBoolean repollPending = new AtomicBoolean();

		private boolean failing;

		TenantStreams(UUID tenantId) {
			this.tenantId = tenantId;
		}

		void poll() {
			List<Subscription> together = new ArrayList<>();
			List<Subscription> alone = new ArrayList<>();
			for (Subscription subscription : this.subscriptions) {
				if (subscription.ready()) {
					(subscription.caughtUp ? together : alone).add(subscription);
				}
			}
			// while the database is away the streams stay open on keep-alives and resume
			// where they were (the outage is logged once, by DatabaseAvailability)
			boolean readable = FeedStreams.this.database.available();
			try {
				if (readable && !together.isEmpty()) {
					List<FeedQuery> filters = together.stream().map((s) -> s.query).distinct().toList();
					ChangePosition from = together.stream()
						.map((s) -> s.position)
						.min(ChangePosition::compareTo)
						.orElseThrow();
					FeedRepository.Changes changes = FeedStreams.this.feed.changesAfter(this.tenantId, filters, from,
							FeedStreams.this.properties.batch());
					Map<FeedRepository.Change, byte[]> events = new IdentityHashMap<>();
					for (Subscription subscription : together) {
						subscription.deliver(changes, filters.indexOf(subscription.query), events);
					}
				}
				alone.sort(Comparator.comparingLong((Subscription subscription) -> subscription.lastReadNanos));
				alone = alone.subList(0, Math.min(alone.size(), MAX_CATCHING_UP_PER_POLL));
				for (Subscription subscription : readable ? alone : List.<Subscription>of()) {
					subscription.lastReadNanos = System.nanoTime();
					FeedRepository.Changes changes = FeedStreams.this.feed.changesAfter(this.tenantId,
							List.of(subscription.query), subscription.position, subscription.readLimit);
					subscription.deliver(changes, 0, new IdentityHashMap<>());
				}
				if (this.failing) {
					this.failing = false;
					log.info("Live streams of tenant {} read changes again", this.tenantId);
				}
			}
			catch (DataAccessException | org.jooq.exception.DataAccessException ex) {
				if (!DatabaseUnavailable.isCause(ex) && !this.failing) {
					this.failing = true;
					log.warn("Live streams of tenant {} cannot read changes; retrying", this.tenantId, ex);
				}
			}
			for (Subscription subscription : together) {
				subscription.keepAlive();
			}
			for (Subscription subscription : alone) {
				subscription.keepAlive();
			}
		}

	}

	/**
	 * One open stream. Its poll and its container callbacks run one at a time. Changes
	 * read for it wait in a small queue (at most {@link #MAX_QUEUED_BYTES}) until its
	 * connection takes them, so that a client that reads slowly is fed as it reads
	 * without reading the database again.
	 */
	private final class Subscription {

		private final UUID tenantId;

		private final FeedQuery query;

		private volatile NonBlockingResponse out;

		/**
		 * The last change queued or sent, or a point that no change still to come
		 * precedes.
		 */
		private volatile ChangePosition position;

		/**
		 * Whether it has read every change up to a recent horizon; then it is polled with
		 * the tenant's other streams.
		 */
		private volatile boolean caughtUp;

		private final ArrayDeque<byte[]> queued = new ArrayDeque<>();

		private int queuedBytes;

		private boolean greeted;

		/** When it last read on its own, while catching up. */
		private long lastReadNanos;

		/**
		 * How many changes it reads on its own: fewer while its client takes few, so that
		 * a slow client does not cost full reads.
		 */
		private int readLimit = FeedStreams.this.properties.batch();

		private long lastSentNanos = System.nanoTime();

		/**
		 * Until the stream has passed the transactions that were running when it started:
		 * which of them to skip, as they had committed before.
		 */
		private FeedRepository.@Nullable StreamStart start;

		/**
		 * A stream resuming after a position the client sent (it may be far back), or
		 * starting now, caught up.
		 */
		Subscription(UUID tenantId, FeedQuery query, @Nullable ChangePosition resumeAfter,
				FeedRepository.@Nullable StreamStart start) {
			this.tenantId = tenantId;
			this.query = query;
			this.position = (start != null) ? start.position() : resumeAfter;
			this.caughtUp = start != null;
			this.start = start;
		}

		/**
		 * The connection can take data again (on a container thread): sends the opening
		 * comment if not yet sent and what is queued, then asks for more if the stream is
		 * behind.
		 */
		void writable() {
			boolean drained;
			synchronized (this) {
				greet();
				drained = this.greeted && send();
			}
			if (drained && !this.caughtUp) {
				pollSoon(this.tenantId);
			}
		}

		/** Sends the opening comment once the connection can take it. */
		private void greet() {
			NonBlockingResponse response = this.out;
			if (!this.greeted && response != null && response.write(OPENING) && response.flush()) {
				this.greeted = true;
				this.lastSentNanos = System.nanoTime();
			}
		}

		/**
		 * Sends what is queued as far as the client takes it; answers whether all went.
		 */
		private boolean send() {
			NonBlockingResponse response = this.out;
			int sent = 0;
			while (!this.queued.isEmpty() && response.write(this.queued.peek())) {
				this.queuedBytes -= this.queued.poll().length;
				sent++;
			}
			if (sent > 0) {
				response.flush();
				this.lastSentNanos = System.nanoTime();
			}
			return this.queued.isEmpty();
		}

		/**
		 * Whether this stream should read changes now: its client has taken all that was
		 * queued. A client that has taken nothing for the write deadline is disconnected.
		 */
		synchronized boolean ready() {
			NonBlockingResponse response = this.out;
			if (response == null || response.ended()) {
				return false;
			}
			if (response.writable()) {
				greet();
				return this.greeted && send();
			}
			if (response.stalledFor().compareTo(FeedStreams.this.properties.writeDeadline()) > 0) {
				log.info("Disconnecting a live stream of tenant {}: its client took nothing for {}", this.tenantId,
						FeedStreams.this.properties.writeDeadline());
				response.abort();
			}
			return false;
		}

		/**
		 * Queues this stream's changes and sends them as far as the client takes them. If
		 * all fit in the queue, the stream moves on to where the read ended.
		 */
		synchronized void deliver(FeedRepository.Changes changes, int filter,
				Map<FeedRepository.Change, byte[]> events) {
			boolean queuedAll = true;
			for (FeedRepository.Change change : changes.changes()) {
				if (change.position().compareTo(this.position) <= 0 || !change.matches().get(filter)
						|| (this.start != null && this.start.before(change.position()))) {
					continue;
				}
				if (this.queuedBytes >= MAX_QUEUED_BYTES) {
					queuedAll = false;
					break;
				}
				byte[] event = events.computeIfAbsent(change, (c) -> event(this.tenantId, c));
				this.queued.add(event);
				this.queuedBytes += event.length;
				this.position = change.position();
			}
			send();
			int batch = FeedStreams.this.properties.batch();
			if (!queuedAll) {
				this.caughtUp = false;
				this.readLimit = Math.max(MIN_READ, this.readLimit / 2);
				return;
			}
			this.readLimit = Math.min(batch, 2 * this.readLimit);
			List<FeedRepository.Change> read = changes.changes();
			ChangePosition reached = changes.complete() ? changes.horizon()
					: (read.isEmpty() ? this.position : read.get(read.size() - 1).position());
			if (reached.compareTo(this.position) > 0) {
				this.position = reached;
			}
			if (this.start != null && this.position.tx() >= this.start.xmax()) {
				this.start = null;
			}
			this.caughtUp = this.caughtUp || changes.complete();
		}

		synchronized void keepAlive() {
			NonBlockingResponse response = this.out;
			if (this.queued.isEmpty()
					&& System.nanoTime() - this.lastSentNanos > FeedStreams.this.properties.keepAlive().toNanos()
					&& response.write(KEEP_ALIVE) && response.flush()) {
				this.lastSentNanos = System.nanoTime();
			}
		}

		/** Ends the stream: cleanly if the client is reading, else by dropping it. */
		void end() {
			NonBlockingResponse response = this.out;
			if (response == null) {
				return;
			}
			if (response.writable()) {
				response.complete();
			}
			else {
				response.abort();
			}
		}

	}

}
