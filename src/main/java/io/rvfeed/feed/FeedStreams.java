package io.rvfeed.feed;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.rvfeed.db.DatabaseAvailability;
import io.rvfeed.web.DatabaseUnavailable;

/**
 * The open live streams. Each one polls the database for its tenant's changes (so a
 * change written through any instance reaches streams on every instance) and sends them
 * as server-sent events whose ids let a reconnecting client resume where it stopped.
 */
@Component
class FeedStreams implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(FeedStreams.class);

	private static final long RECONNECT_MILLIS = 3000;

	private final FeedRepository feed;

	private final StreamProperties properties;

	private volatile ScheduledExecutorService poller;

	private final Set<Subscription> open = ConcurrentHashMap.newKeySet();

	private final DatabaseAvailability database;

	FeedStreams(FeedRepository feed, StreamProperties properties, DatabaseAvailability database) {
		this.feed = feed;
		this.properties = properties;
		this.database = database;
	}

	ChangePosition startPosition() {
		return this.feed.streamStart();
	}

	SseEmitter open(UUID tenantId, FeedQuery query, ChangePosition from) {
		SseEmitter emitter = new SseEmitter(0L);
		Subscription subscription = new Subscription(tenantId, query, emitter, from);
		this.open.add(subscription);
		Runnable close = () -> subscription.close();
		emitter.onCompletion(close);
		emitter.onTimeout(close);
		emitter.onError((ex) -> close.run());
		try {
			// sends the headers at once, and tells EventSource clients how soon to
			// reconnect
			emitter.send(SseEmitter.event().comment("stream open").reconnectTime(RECONNECT_MILLIS));
		}
		catch (IOException ex) {
			close.run();
			return emitter;
		}
		subscription.schedule();
		return emitter;
	}

	int openStreams() {
		return this.open.size();
	}

	private volatile boolean running;

	@Override
	public void start() {
		this.poller = Executors.newScheduledThreadPool(2, (task) -> {
			Thread thread = new Thread(task, "feed-stream-poller");
			thread.setDaemon(true);
			return thread;
		});
		this.running = true;
	}

	/**
	 * Ends every open stream before the web server's graceful shutdown, which would
	 * otherwise wait for them; clients reconnect elsewhere with their last event id.
	 */
	@Override
	public void stop() {
		this.running = false;
		this.poller.shutdownNow();
		this.open.forEach((subscription) -> subscription.emitter.complete());
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE;
	}

	private final class Subscription {

		private final UUID tenantId;

		private final FeedQuery query;

		private final SseEmitter emitter;

		private ChangePosition position;

		private long lastSentNanos = System.nanoTime();

		private volatile java.util.concurrent.ScheduledFuture<?> task;

		Subscription(UUID tenantId, FeedQuery query, SseEmitter emitter, ChangePosition position) {
			this.tenantId = tenantId;
			this.query = query;
			this.emitter = emitter;
			this.position = position;
		}

		void schedule() {
			long interval = FeedStreams.this.properties.pollInterval().toMillis();
			this.task = FeedStreams.this.poller.scheduleWithFixedDelay(this::poll, 0, interval, TimeUnit.MILLISECONDS);
		}

		private void poll() {
			try {
				// while the database is away the stream stays open on keep-alives and
				// resumes where it was
				List<FeedRepository.Change> changes = FeedStreams.this.database.available() ? FeedStreams.this.feed
					.changesAfter(this.tenantId, this.query, this.position, FeedStreams.this.properties.batch())
						: List.of();
				for (FeedRepository.Change change : changes) {
					this.emitter.send(SseEmitter.event()
						.id(change.position().toString())
						.name("session")
						.data(change.session(), MediaType.APPLICATION_JSON));
					this.position = change.position();
					this.lastSentNanos = System.nanoTime();
				}
				if (System.nanoTime() - this.lastSentNanos > FeedStreams.this.properties.keepAlive().toNanos()) {
					this.emitter.send(SseEmitter.event().comment("keep-alive"));
					this.lastSentNanos = System.nanoTime();
				}
			}
			catch (IOException | IllegalStateException ex) {
				close();
			}
			catch (RuntimeException ex) {
				if (DatabaseUnavailable.isCause(ex)) {
					// the outage is logged once by DatabaseAvailability; poll again
					return;
				}
				log.warn("Live stream for tenant {} failed; closing it", this.tenantId, ex);
				this.emitter.completeWithError(ex);
				close();
			}
		}

		void close() {
			if (FeedStreams.this.open.remove(this) && this.task != null) {
				this.task.cancel(false);
			}
		}

	}

}
