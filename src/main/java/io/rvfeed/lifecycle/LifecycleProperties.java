package io.rvfeed.lifecycle;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The background work of the data lifecycle: tenant deletion and retention purges.
 *
 * @param batchSize rows deleted per statement and transaction (default 1000): small
 * enough that no lock is held long and other tenants' reads and writes go on
 * @param batchPause pause between two batches (default 20 ms), which leaves the database
 * to the other tenants' work in between
 * @param jobInterval how often each instance looks for unfinished deletion jobs (default
 * 30 s; a job is also started at once by the instance that accepts it)
 * @param retentionInterval how often retention purges run (default 1 h; one instance at a
 * time)
 */
@ConfigurationProperties("rvfeed.lifecycle")
record LifecycleProperties(@DefaultValue("1000") int batchSize, @DefaultValue("20ms") Duration batchPause,
		@DefaultValue("30s") Duration jobInterval, @DefaultValue("1h") Duration retentionInterval) {

	LifecycleProperties {
		if (batchSize < 1 || batchSize > 100_000) {
			throw new IllegalArgumentException(
					"rvfeed.lifecycle.batch-size must be from 1 to 100000, not " + batchSize);
		}
		if (batchPause.isNegative()) {
			throw new IllegalArgumentException("rvfeed.lifecycle.batch-pause must not be negative, not " + batchPause);
		}
		if (jobInterval.isZero() || jobInterval.isNegative()) {
			throw new IllegalArgumentException("rvfeed.lifecycle.job-interval must be positive, not " + jobInterval);
		}
		if (retentionInterval.isZero() || retentionInterval.isNegative()) {
			throw new IllegalArgumentException(
					"rvfeed.lifecycle.retention-interval must be positive, not " + retentionInterval);
		}
	}

	/**
	 * Sleeps {@link #batchPause()} between two batches, so feed reads and writes get a
	 * turn.
	 */
	void pauseBetweenBatches() {
		long millis = this.batchPause.toMillis();
		if (millis > 0) {
			try {
				Thread.sleep(millis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted", ex);
			}
		}
	}

}
