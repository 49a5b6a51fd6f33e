package io.rvfeed.lifecycle;

import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.rvfeed.db.DatabaseAvailability;

/**
 * The lifecycle's one background thread per instance: runs unfinished tenant deletions
 * (at once when this instance accepts one, and every {@code job-interval}, which also
 * finishes the jobs of an instance that stopped) and the retention purge every
 * {@code retention-interval}. One thread, so the lifecycle never holds more than one
 * database connection of an instance.
 */
@Component
class LifecycleWorker implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(LifecycleWorker.class);

	private final TenantDeletion deletion;

	private final RetentionPurge retention;

	private final LifecycleProperties properties;

	private final DatabaseAvailability database;

	private ScheduledExecutorService executor;

	LifecycleWorker(TenantDeletion deletion, RetentionPurge retention, LifecycleProperties properties,
			DatabaseAvailability database) {
		this.deletion = deletion;
		this.retention = retention;
		this.properties = properties;
		this.database = database;
	}

	/** Starts the job soon, on this instance's lifecycle thread. */
	synchronized void kick(UUID jobId) {
		if (this.executor != null) {
			this.executor.execute(this::runJobs);
		}
	}

	void runJobs() {
		if (!this.database.available()) {
			return;
		}
		try {
			this.deletion.runUnfinished();
		}
		catch (RuntimeException ex) {
			log.debug("A tenant deletion stopped; it is retried in {}", this.properties.jobInterval(), ex);
		}
	}

	void runRetention() {
		if (!this.database.available()) {
			return;
		}
		try {
			this.retention.purgeAll();
		}
		catch (RuntimeException ex) {
			log.warn("The retention purge stopped; it runs again in {}: {}", this.properties.retentionInterval(),
					ex.toString());
		}
	}

	@Override
	public synchronized void start() {
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "data-lifecycle");
			thread.setDaemon(true);
			return thread;
		});
		long jobs = this.properties.jobInterval().toMillis();
		long retention = this.properties.retentionInterval().toMillis();
		this.executor.scheduleWithFixedDelay(this::runJobs, jobs, jobs, TimeUnit.MILLISECONDS);
		this.executor.scheduleWithFixedDelay(this::runRetention, retention, retention, TimeUnit.MILLISECONDS);
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
