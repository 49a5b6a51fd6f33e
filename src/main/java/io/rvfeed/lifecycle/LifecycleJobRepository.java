package io.rvfeed.lifecycle;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Repository;

/** {@code lifecycle_job} (V41). */
@Repository
class LifecycleJobRepository {

	static final Table<Record> LIFECYCLE_JOB = DSL.table(DSL.name("lifecycle_job"));

	static final Field<UUID> JOB_ID = DSL.field(DSL.name("job_id"), SQLDataType.UUID);

	static final Field<String> KIND = DSL.field(DSL.name("kind"), SQLDataType.CLOB);

	static final Field<UUID> TARGET_TENANT = DSL.field(DSL.name("target_tenant"), SQLDataType.UUID);

	static final Field<String> STATE = DSL.field(DSL.name("state"), SQLDataType.CLOB);

	static final Field<Instant> REQUESTED_AT = DSL.field(DSL.name("requested_at"), SQLDataType.INSTANT);

	static final Field<String> REQUESTED_BY = DSL.field(DSL.name("requested_by"), SQLDataType.CLOB);

	static final Field<Instant> UPDATED_AT = DSL.field(DSL.name("updated_at"), SQLDataType.INSTANT);

	static final Field<Instant> FINISHED_AT = DSL.field(DSL.name("finished_at"), SQLDataType.INSTANT);

	static final Field<Long> ROWS_DELETED = DSL.field(DSL.name("rows_deleted"), SQLDataType.BIGINT);

	static final Field<String> LAST_ERROR = DSL.field(DSL.name("last_error"), SQLDataType.CLOB);

	private final DSLContext db;

	LifecycleJobRepository(DSLContext db) {
		this.db = db;
	}

	/**
	 * Creates the tenant's deletion job unless there is one; answers the job either way.
	 */
	LifecycleJob createDeletion(UUID tenantId, String requestedBy) {
		this.db.insertInto(LIFECYCLE_JOB)
			.set(JOB_ID, UUID.randomUUID())
			.set(KIND, LifecycleJob.TENANT_DELETION)
			.set(TARGET_TENANT, tenantId)
			.set(STATE, LifecycleJob.RUNNING)
			.set(REQUESTED_BY, requestedBy)
			.onConflictDoNothing()
			.execute();
		return deletionOf(tenantId).orElseThrow();
	}

	Optional<LifecycleJob> deletionOf(UUID tenantId) {
		return this.db
			.select(JOB_ID, KIND, TARGET_TENANT, STATE, REQUESTED_AT, REQUESTED_BY, UPDATED_AT, FINISHED_AT,
					ROWS_DELETED, LAST_ERROR)
			.from(LIFECYCLE_JOB)
			.where(KIND.eq(LifecycleJob.TENANT_DELETION).and(TARGET_TENANT.eq(tenantId)))
			.fetchOptional(LifecycleJobRepository::job);
	}

	Optional<LifecycleJob> find(UUID jobId) {
		return this.db
			.select(JOB_ID, KIND, TARGET_TENANT, STATE, REQUESTED_AT, REQUESTED_BY, UPDATED_AT, FINISHED_AT,
					ROWS_DELETED, LAST_ERROR)
			.from(LIFECYCLE_JOB)
			.where(JOB_ID.eq(jobId))
			.fetchOptional(LifecycleJobRepository::job);
	}

	List<LifecycleJob> running() {
		return this.db
			.select(JOB_ID, KIND, TARGET_TENANT, STATE, REQUESTED_AT, REQUESTED_BY, UPDATED_AT, FINISHED_AT,
					ROWS_DELETED, LAST_ERROR)
			.from(LIFECYCLE_JOB)
			.where(STATE.eq(LifecycleJob.RUNNING))
			.orderBy(REQUESTED_AT)
			.fetch(LifecycleJobRepository::job);
	}

	void progress(UUID jobId, long deleted, @Nullable String error) {
		this.db.update(LIFECYCLE_JOB)
			.set(ROWS_DELETED, ROWS_DELETED.plus(deleted))
			.set(UPDATED_AT, DSL.currentInstant())
			.set(LAST_ERROR, error)
			.where(JOB_ID.eq(jobId))
			.execute();
	}

	/** Marks the job done; answers whether this call did (not another instance). */
	boolean finish(UUID jobId) {
		return this.db.update(LIFECYCLE_JOB)
			.set(STATE, LifecycleJob.DONE)
			.set(UPDATED_AT, DSL.currentInstant())
			.set(FINISHED_AT, DSL.currentInstant())
			.set(LAST_ERROR, (String) null)
			.where(JOB_ID.eq(jobId).and(STATE.eq(LifecycleJob.RUNNING)))
			.execute() == 1;
	}

	private static LifecycleJob job(Record row) {
		return new LifecycleJob(row.get(JOB_ID), row.get(KIND), row.get(TARGET_TENANT), row.get(STATE),
				row.get(REQUESTED_AT), row.get(REQUESTED_BY), row.get(UPDATED_AT), row.get(FINISHED_AT),
				row.get(ROWS_DELETED), row.get(LAST_ERROR));
	}

}
