package io.rvfeed.feed;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Folds the count deltas into the counts every
 * {@code rvfeed.feed-counts.compact-interval}, so that reading a count adds up a few rows
 * however many writes came before.
 */
@Component
class FeedCountCompactor implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(FeedCountCompactor.class);

	private final FeedCounts counts;

	private final TransactionTemplate transaction;

	private final FeedCountsProperties properties;

	private ScheduledExecutorService executor;

	FeedCountCompactor(FeedCounts counts, PlatformTransactionManager transactions, FeedCountsProperties properties) {
		this.counts = counts;
		this.transaction = new TransactionTemplate(transactions);
		this.properties = properties;
	}

	void compact() {
		try {
			this.transaction.executeWithoutResult((status) -> this.counts.compact());
		}
		catch (RuntimeException ex) {
			log.warn("Compacting the feed counts failed; trying again in {}", this.properties.compactInterval(), ex);
		}
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
