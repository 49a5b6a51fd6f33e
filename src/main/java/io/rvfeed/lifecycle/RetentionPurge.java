package io.rvfeed.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;

import io.rvfeed.audit.AuditActor;
import io.rvfeed.audit.AuditEntry;
import io.rvfeed.audit.AuditLog;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes, for every tenant with a retention period, its sessions last updated before now
 * minus the period, with their events and every other row that names them, in batches of
 * one short transaction each (no long lock; the feed and writers go on). Kept counts and
 * facet counts stay exact throughout: the count triggers run in each batch's transaction.
 * One instance at a time: each batch takes a transaction-scoped advisory lock, and a run
 * that finds it taken stops (the other instance is purging).
 */
@Service
class RetentionPurge {

	private static final Logger log = LoggerFactory.getLogger(RetentionPurge.class);

	private final RetentionRepository retention;

	private final TenantTables tables;

	private final LifecycleProperties properties;

	private final LifecycleMetrics metrics;

	private final TransactionTemplate transaction;

	private final ObjectProvider<PurgeHorizon> horizon;

	private final AuditLog audit;

	RetentionPurge(RetentionRepository retention, TenantTables tables, LifecycleProperties properties,
			PlatformTransactionManager transactions, ObjectProvider<LifecycleMetrics> metrics,
			ObjectProvider<PurgeHorizon> horizon, AuditLog audit) {
		this.horizon = horizon;
		this.audit = audit;
		this.retention = retention;
		this.tables = tables;
		this.properties = properties;
		this.metrics = metrics.getIfAvailable();
		this.transaction = new TransactionTemplate(transactions);
	}

	/** What a run did to one tenant. */
	record Purged(UUID tenantId, Instant cutoff, long sessions, long events, long otherRows, boolean interrupted) {
	}

	void purgeAll() {
		purgeAll(this.properties.batchSize());
	}

	int batchSize() {
		return this.properties.batchSize();
	}

	List<Purged> purgeAll(int batchSize) {
		return purgeAll(AuditActor.system("retention"), batchSize);
	}

	/**
	 * Purges every tenant with a period; each tenant's purge is recorded as done by
	 * {@code actor}.
	 */
	List<Purged> purgeAll(AuditActor actor, int batchSize) {
		List<Purged> purged = new java.util.ArrayList<>();
		for (RetentionRepository.Retention tenant : this.retention.withPeriod()) {
			Integer days = tenant.days();
			if (days == null) {
				continue;
			}
			Purged one = purge(tenant.tenantId(), Instant.now().minus(days, ChronoUnit.DAYS), batchSize);
			purged.add(one);
			if (one.sessions() > 0) {
				this.audit.recordOnItsOwn(AuditEntry.succeeded(actor, "tenant.retention_purged", one.tenantId(),
						AuditEntry.tenant(one.tenantId()),
						TenantDeletion.detail("cutoff", one.cutoff().toString(), "days", days, "sessions",
								one.sessions(), "events", one.events(), "other_rows", one.otherRows(), "interrupted",
								one.interrupted())));
			}
			if (one.interrupted()) {
				break;
			}
		}
		if (this.metrics != null) {
			this.metrics.retentionRuns.increment();
		}
		return purged;
	}

	/** Purges one tenant's sessions updated before {@code cutoff}. */
	Purged purge(UUID tenantId, Instant cutoff, int batchSize) {
		long started = System.nanoTime();
		List<String> children = this.tables.sessionChildren();
		this.retention.advanceDataSince(tenantId, cutoff);
		// other instances see it within their cache's second
		this.horizon.ifAvailable((cached) -> cached.forget(tenantId));
		long sessions = 0;
		long events = 0;
		long others = 0;
		while (true) {
			RetentionRepository.Batch batch = this.transaction.execute((status) -> {
				if (!this.retention.takeTurn()) {
					return null;
				}
				RetentionRepository.Batch done = this.retention.purge(tenantId, cutoff, batchSize, children);
				this.retention.advancePositions(tenantId, done.lastChange(), done.lastEvent());
				return done;
			});
			if (batch == null) {
				log.info("Retention purge of tenant {} stopped: another instance is purging", tenantId);
				return new Purged(tenantId, cutoff, sessions, events, others, true);
			}
			sessions += batch.sessions();
			events += batch.events();
			others += batch.otherRows();
			if (this.metrics != null) {
				this.metrics.purgedSessions.increment(batch.sessions());
				this.metrics.purgedEvents.increment(batch.events());
				this.metrics.retentionRows.increment(batch.sessions() + batch.events() + batch.otherRows());
			}
			if (batch.sessions() < batchSize) {
				break;
			}
			this.properties.pauseBetweenBatches();
		}
		if (sessions > 0) {
			log.info(
					"Retention purge of tenant {}: {} sessions updated before {} deleted with {} events ({} other rows) in {}",
					tenantId, sessions, cutoff, events, others, Duration.ofNanos(System.nanoTime() - started));
		}
		return new Purged(tenantId, cutoff, sessions, events, others, false);
	}

}
