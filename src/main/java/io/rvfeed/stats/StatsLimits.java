package io.rvfeed.stats;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;

/**
 * Turns for statistics statements: at most {@code max-per-tenant} per tenant and
 * {@code max-concurrent} in all on this instance. A request waits up to
 * {@code queue-timeout} for its turn (a dashboard sends several at once), then is
 * answered 429.
 */
@Component
class StatsLimits {

	private final Semaphore instance;

	private final int perTenant;

	private final long waitNanos;

	private final Map<UUID, Semaphore> tenants = new ConcurrentHashMap<>();

	StatsLimits(StatsProperties properties) {
		this.instance = new Semaphore(properties.maxConcurrent(), true);
		this.perTenant = properties.maxPerTenant();
		this.waitNanos = properties.queueTimeout().toNanos();
	}

	<T> T run(UUID tenantId, Supplier<T> work) {
		long deadline = System.nanoTime() + this.waitNanos;
		Semaphore tenant = this.tenants.computeIfAbsent(tenantId, (id) -> new Semaphore(this.perTenant, true));
		if (!acquire(tenant, deadline)) {
			throw new StatsBusy("This tenant already has " + this.perTenant
					+ " statistics requests running. Wait a moment and try again.");
		}
		try {
			if (!acquire(this.instance, deadline)) {
				throw new StatsBusy("Too many statistics requests are running. Wait a moment and try again.");
			}
			try {
				return work.get();
			}
			finally {
				this.instance.release();
			}
		}
		finally {
			tenant.release();
		}
	}

	private static boolean acquire(Semaphore semaphore, long deadline) {
		try {
			return semaphore.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	static Duration retryAfter() {
		return Duration.ofSeconds(5);
	}

}
