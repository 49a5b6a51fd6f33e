package io.rvfeed.lifecycle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.rvfeed.audit.AuditActor;
import io.rvfeed.audit.AuditEntry;
import io.rvfeed.audit.AuditLog;
import io.rvfeed.auth.TenantRepository;

/**
 * Deletes a tenant: {@link #request} marks it gone and revokes its keys in one
 * transaction (every instance refuses them from the commit on) and creates a job;
 * {@link #run} then deletes the tenant's rows from every table with a {@code tenant_id}
 * column ({@link TenantTables}, children first), a batch per statement, until two passes
 * over all of them find nothing (rows that triggers or a request already under way added
 * meanwhile are caught by the next pass), the tenant row last. Running a job twice, or on
 * two instances at once, is harmless: each batch deletes what is still there.
 */
@Service
class TenantDeletion {

	private static final Logger log = LoggerFactory.getLogger(TenantDeletion.class);

	private final DSLContext db;

	private final TenantRepository tenants;

	private final LifecycleJobRepository jobs;

	private final TenantTables tables;

	private final AuditLog audit;

	private final LifecycleProperties properties;

	private final @Nullable LifecycleMetrics metrics;

	private final TransactionTemplate transaction;

	TenantDeletion(DSLContext db, TenantRepository tenants, LifecycleJobRepository jobs, TenantTables tables,
			AuditLog audit, LifecycleProperties properties, PlatformTransactionManager transactions,
			org.springframework.beans.factory.ObjectProvider<LifecycleMetrics> metrics) {
		this.db = db;
		this.tenants = tenants;
		this.jobs = jobs;
		this.tables = tables;
		this.audit = audit;
		this.properties = properties;
		this.metrics = metrics.getIfAvailable();
		this.transaction = new TransactionTemplate(transactions);
	}

	/**
	 * Asks for the tenant's deletion; idempotent: asking again (also once it is done)
	 * answers the same job. An unknown tenant is a 404.
	 */
	LifecycleJob request(AuditActor actor, UUID tenantId) {
		return this.audit.audited(actor, "tenant.deletion_requested", tenantId, AuditEntry.tenant(tenantId),
				() -> this.transaction.execute((status) -> {
					LifecycleJob existing = this.jobs.deletionOf(tenantId).orElse(null);
					if (existing != null) {
						this.audit.record(AuditEntry.succeeded(actor, "tenant.deletion_requested", tenantId,
								AuditEntry.tenant(tenantId), detail("job_id", existing.jobId(), "already_requested",
										true, "state", existing.state())));
						return existing;
					}
					int revoked = this.tenants.markDeleted(tenantId);
					if (revoked < 0) {
						throw new TenantNotFound(tenantId);
					}
					LifecycleJob job = this.jobs.createDeletion(tenantId, actor.name());
					this.audit.record(AuditEntry.succeeded(actor, "tenant.deletion_requested", tenantId,
							AuditEntry.tenant(tenantId), detail("job_id", job.jobId(), "keys_revoked", revoked)));
					log.info("Tenant {} is being deleted (job {}); {} API keys revoked", tenantId, job.jobId(),
							revoked);
					return job;
				}));
	}

	LifecycleJob job(UUID jobId) {
		return this.jobs.find(jobId).orElseThrow(() -> new JobNotFound(jobId));
	}

	/** Runs the job to its end (or throws, leaving it to be retried). */
	void run(LifecycleJob job) {
		UUID tenantId = job.tenantId();
		int emptyPasses = 0;
		long total = 0;
		try {
			while (emptyPasses < 2) {
				long pass = 0;
				for (String table : this.tables.childrenFirst()) {
					long deleted;
					do {
						deleted = deleteBatch(table, tenantId);
						if (deleted > 0) {
							pass += deleted;
							total += deleted;
							this.jobs.progress(job.jobId(), deleted, null);
							if (this.metrics != null) {
								this.metrics.tenantDeletionRows.increment(deleted);
							}
							this.properties.pauseBetweenBatches();
						}
					}
					while (deleted >= this.properties.batchSize());
				}
				emptyPasses = (pass == 0) ? emptyPasses + 1 : 0;
			}
		}
		catch (RuntimeException ex) {
			log.warn("Deleting tenant {} (job {}) stopped after {} rows; it is retried: {}", tenantId, job.jobId(),
					total, ex.toString());
			this.jobs.progress(job.jobId(), 0, ex.getClass().getSimpleName() + ": " + ex.getMessage());
			throw ex;
		}
		this.transaction.executeWithoutResult((status) -> {
			if (this.jobs.finish(job.jobId())) {
				LifecycleJob done = this.jobs.find(job.jobId()).orElseThrow();
				this.audit.record(AuditEntry.succeeded(AuditActor.system("tenant-deletion"), "tenant.deleted", tenantId,
						AuditEntry.tenant(tenantId), detail("job_id", job.jobId(), "rows_deleted", done.rowsDeleted(),
								"requested_by", job.requestedBy())));
				log.info("Tenant {} is deleted (job {}): {} rows", tenantId, job.jobId(), done.rowsDeleted());
			}
		});
	}

	/** Deletes up to a batch of the tenant's rows from the table, in one statement. */
	private int deleteBatch(String table, UUID tenantId) {
		return this.db.execute(
				"delete from {0} where ctid = any(array(select ctid from {0} where {1} = {2} limit {3}))",
				DSL.name(table), DSL.name(TenantTables.TENANT_COLUMN), DSL.val(tenantId),
				DSL.inline(this.properties.batchSize()));
	}

	/** Runs every unfinished deletion job (of any instance) to its end. */
	void runUnfinished() {
		List<LifecycleJob> running = this.jobs.running();
		for (LifecycleJob job : running) {
			if (LifecycleJob.TENANT_DELETION.equals(job.kind())) {
				run(job);
			}
		}
	}

	static Map<String, @Nullable Object> detail(Object... pairs) {
		Map<String, @Nullable Object> detail = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			Object value = pairs[i + 1];
			detail.put((String) pairs[i], (value instanceof UUID) ? value.toString() : value);
		}
		return detail;
	}

}
