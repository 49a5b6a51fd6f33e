package io.rvfeed.feed;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.rvfeed.db.DatabaseAvailability;
import io.rvfeed.web.DatabaseUnavailable;

/**
 * Folds the count deltas (V4) and facet deltas (V7) into their counts every
 * {@code rvfeed.feed-counts.compact-interval}, so that reading a count adds up a few rows
 * however many writes came before.
 */
@Component
class FeedCountCompactor implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(FeedCountCompactor.class);

	private static final long VACUUM_AFTER_FOLDED = 1000;

	private static final long VACUUM_MIN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(2);

	private final DSLContext db;

	private final TransactionTemplate transaction;

	private final FeedCountsProperties properties;

	private final DatabaseAvailability database;

	private ScheduledExecutorService executor;

	FeedCountCompactor(DSLContext db, PlatformTransactionManager transactions, FeedCountsProperties properties,
			DatabaseAvailability database) {
		this.db = db;
		this.database = database;
		this.transaction = new TransactionTemplate(transactions);
		this.properties = properties;
	}

	/** Deltas folded since the delta table was last vacuumed. */
	private long foldedSinceVacuum;

	private long lastVacuumNanos = System.nanoTime();

	/**
	 * When the last compaction ran through (for
	 * {@code rvfeed.feed_counts.compaction.lag}).
	 */
	private volatile long lastCompactedNanos = System.nanoTime();

	void compact() {
		if (!this.database.available()) {
			// the outage is logged once by DatabaseAvailability
			return;
		}
		try {
			for (KeptCounts kept : KeptCounts.values()) {
				Integer folded = this.transaction.execute((status) -> kept.compact(this.db));
				this.foldedSinceVacuum += (folded != null) ? folded : 0;
			}
			// Folded deltas stay behind as dead rows, and every count reads their index
			// entries until a vacuum: under steady writes autovacuum comes too late
			// (measured: 60 k dead entries made the unfiltered count take 28 ms instead
			// of 0.1 ms). The table is small, so vacuuming it takes milliseconds (as
			// long as it does not truncate it: V9).
			if (this.foldedSinceVacuum >= VACUUM_AFTER_FOLDED
					&& System.nanoTime() - this.lastVacuumNanos >= VACUUM_MIN_INTERVAL_NANOS) {
				for (KeptCounts kept : KeptCounts.values()) {
					kept.vacuumDeltas(this.db);
				}
				this.foldedSinceVacuum = 0;
				this.lastVacuumNanos = System.nanoTime();
			}
			this.lastCompactedNanos = System.nanoTime();
		}
		catch (RuntimeException ex) {
			if (DatabaseUnavailable.isCause(ex)) {
				log.debug("Compacting the feed counts failed: the database is unavailable", ex);
				return;
			}
			log.warn("Compacting the feed counts failed; trying again in {}", this.properties.compactInterval(), ex);
		}
	}

	Duration sinceLastCompaction() {
		return Duration.ofNanos(System.nanoTime() - this.lastCompactedNanos);
	}

	@Override
	public synchronized void start() {
		long millis = this.properties.compactInterval().toMillis();
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "feed-count-compactor");
			thread.setDaemon(true);
			return thread;
		});
		this.executor.scheduleWithFixedDelay(this::compact, millis, millis, TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

}
