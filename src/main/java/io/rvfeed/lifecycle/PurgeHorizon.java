package io.rvfeed.lifecycle;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;

import io.rvfeed.web.FeedCursor;
import io.rvfeed.web.RetainedPositions;

/**
 * How far back each tenant's data is held, from {@code tenant_retention}: the newest
 * purged positions (a cursor before them answers 410; read fresh for every cursor given
 * back) and the data-since time ({@code X-Data-Since}; cached for a second per tenant, so
 * the feed does not pay a query per page).
 */
@Primary
@Component
class PurgeHorizon implements RetainedPositions {

	private static final long CACHE_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final RetentionRepository retention;

	private final Map<UUID, Cached> dataSince = new ConcurrentHashMap<>();

	PurgeHorizon(RetentionRepository retention) {
		this.retention = retention;
	}

	@Override
	public @Nullable FeedCursor purgedThrough(UUID tenantId, FeedCursor.Kind kind) {
		Optional<RetentionRepository.Retention> held = this.retention.find(tenantId);
		if (held.isEmpty()) {
			return null;
		}
		RetentionRepository.Retention row = held.get();
		long tx = (kind == FeedCursor.Kind.CHANGES) ? row.changeTx() : row.eventTx();
		long seq = (kind == FeedCursor.Kind.CHANGES) ? row.changeSeq() : row.eventArrival();
		return (tx == 0 && seq == 0) ? null : new FeedCursor(kind, tenantId, tx, seq);
	}

	/** The time from which the tenant's sessions are all held, or null: all of them. */
	@Nullable Instant dataSince(UUID tenantId) {
		long now = System.nanoTime();
		Cached cached = this.dataSince.get(tenantId);
		if (cached != null && now - cached.readAt() < CACHE_NANOS) {
			return cached.since();
		}
		Instant since = this.retention.find(tenantId).map(RetentionRepository.Retention::dataSince).orElse(null);
		if (this.dataSince.size() > 100_000) {
			this.dataSince.clear();
		}
		this.dataSince.put(tenantId, new Cached(since, now));
		return since;
	}

	/** Forgets what this instance cached of the tenant (its data-since time moved). */
	void forget(UUID tenantId) {
		this.dataSince.remove(tenantId);
	}

	private record Cached(@Nullable Instant since, long readAt) {
	}

}
