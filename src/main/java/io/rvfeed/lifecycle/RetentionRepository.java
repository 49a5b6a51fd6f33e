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

import io.rvfeed.web.FeedCursor;

/** {@code tenant_retention} (V42) and the purge's statements. */
@Repository
class RetentionRepository {

	static final Table<Record> TENANT_RETENTION = DSL.table(DSL.name("tenant_retention"));

	static final Field<UUID> TENANT_ID = DSL.field(DSL.name("tenant_id"), SQLDataType.UUID);

	static final Field<Integer> RETENTION_DAYS = DSL.field(DSL.name("retention_days"), SQLDataType.INTEGER);

	static final Field<Instant> SET_AT = DSL.field(DSL.name("set_at"), SQLDataType.INSTANT);

	static final Field<Instant> DATA_SINCE = DSL.field(DSL.name("data_since"), SQLDataType.INSTANT);

	static final Field<Long> PURGED_CHANGE_TX = DSL.field(DSL.name("purged_change_tx"), SQLDataType.BIGINT);

	static final Field<Long> PURGED_CHANGE_SEQ = DSL.field(DSL.name("purged_change_seq"), SQLDataType.BIGINT);

	static final Field<Long> PURGED_EVENT_TX = DSL.field(DSL.name("purged_event_tx"), SQLDataType.BIGINT);

	static final Field<Long> PURGED_EVENT_ARRIVAL = DSL.field(DSL.name("purged_event_arrival"), SQLDataType.BIGINT);

	/**
	 * Purges take turns on this (transaction-scoped) advisory lock: one instance at a
	 * time.
	 */
	static final Field<Boolean> TURN = DSL.field("pg_try_advisory_xact_lock(hashtext('rvfeed.retention'))",
			SQLDataType.BOOLEAN);

	private final DSLContext db;

	RetentionRepository(DSLContext db) {
		this.db = db;
	}

	record Retention(UUID tenantId, @Nullable Integer days, Instant setAt, @Nullable Instant dataSince, long changeTx,
			long changeSeq, long eventTx, long eventArrival) {
	}

	Optional<Retention> find(UUID tenantId) {
		return this.db
			.select(TENANT_ID, RETENTION_DAYS, SET_AT, DATA_SINCE, PURGED_CHANGE_TX, PURGED_CHANGE_SEQ, PURGED_EVENT_TX,
					PURGED_EVENT_ARRIVAL)
			.from(TENANT_RETENTION)
			.where(TENANT_ID.eq(tenantId))
			.fetchOptional(RetentionRepository::retention);
	}

	/** The tenants with a retention period, whose deletion was not asked for. */
	List<Retention> withPeriod() {
		return this.db
			.select(TENANT_ID, RETENTION_DAYS, SET_AT, DATA_SINCE, PURGED_CHANGE_TX, PURGED_CHANGE_SEQ, PURGED_EVENT_TX,
					PURGED_EVENT_ARRIVAL)
			.from(TENANT_RETENTION)
			.where(RETENTION_DAYS.isNotNull())
			.and(DSL.condition(
					"exists (select 1 from tenant t where t.tenant_id = tenant_retention.tenant_id and t.deletion_requested_at is null)"))
			.orderBy(TENANT_ID)
			.fetch(RetentionRepository::retention);
	}

	void set(UUID tenantId, @Nullable Integer days) {
		this.db.insertInto(TENANT_RETENTION)
			.set(TENANT_ID, tenantId)
			.set(RETENTION_DAYS, days)
			.onConflict(TENANT_ID)
			.doUpdate()
			.set(RETENTION_DAYS, days)
			.set(SET_AT, DSL.currentInstant())
			.execute();
	}

	/** Moves the tenant's data-since time forward to {@code cutoff} (never back). */
	void advanceDataSince(UUID tenantId, Instant cutoff) {
		this.db.update(TENANT_RETENTION)
			.set(DATA_SINCE, DSL.greatest(DSL.coalesce(DATA_SINCE, DSL.val(cutoff)), DSL.val(cutoff)))
			.where(TENANT_ID.eq(tenantId))
			.execute();
	}

	/** Whether this transaction has the purge's turn (no other instance purges now). */
	boolean takeTurn() {
		return Boolean.TRUE.equals(this.db.fetchValue(TURN));
	}

	/** What one batch removed. */
	record Batch(int sessions, int events, int otherRows, @Nullable FeedCursor lastChange,
			@Nullable FeedCursor lastEvent) {
	}

	/**
	 * Deletes up to {@code limit} of the tenant's sessions last updated before
	 * {@code cutoff}, with their events and the rows of every other table that names a
	 * session ({@code tenant_id} and {@code session_id} columns), in the caller's
	 * transaction and one statement. Sessions a writer holds are skipped (the next batch
	 * or run takes them); a session a write made current again is not expired any more.
	 */
	Batch purge(UUID tenantId, Instant cutoff, int limit, List<String> sessionChildren) {
		StringBuilder sql = new StringBuilder("""
				with expired as (
				  select session_id from rv_session
				  where tenant_id = {0} and updated_at < {1}
				  order by updated_at
				  limit {2}
				  for update skip locked
				),
				gone_events as (
				  delete from rv_session_event e using expired x
				  where e.tenant_id = {0} and e.session_id = x.session_id
				  returning e.change_tx::text::bigint as tx, e.arrival
				),
				gone_sessions as (
				  delete from rv_session s using expired x
				  where s.tenant_id = {0} and s.session_id = x.session_id
				  returning s.change_tx::text::bigint as tx, s.change_seq
				)""");
		StringBuilder others = new StringBuilder("0");
		int i = 0;
		for (String table : sessionChildren) {
			String alias = "gone_other_" + i++;
			sql.append(",\n")
				.append(alias)
				.append(" as (delete from ")
				.append(DSL.name(table))
				.append(" o using expired x where o.tenant_id = {0} and o.session_id = x.session_id returning 1)");
			others.append(" + (select count(*) from ").append(alias).append(")");
		}
		sql.append("""

				select (select count(*) from gone_sessions) as sessions,
				       (select count(*) from gone_events) as events,
				       """).append(others).append("""
				 as others,
				       (select tx from gone_sessions order by tx desc, change_seq desc limit 1) as change_tx,
				       (select change_seq from gone_sessions order by tx desc, change_seq desc limit 1) as change_seq,
				       (select tx from gone_events order by tx desc, arrival desc limit 1) as event_tx,
				       (select arrival from gone_events order by tx desc, arrival desc limit 1) as event_arrival
				""");
		Record row = this.db.fetchSingle(sql.toString(), DSL.val(tenantId), DSL.val(cutoff), DSL.inline(limit));
		Long changeTx = row.get("change_tx", Long.class);
		Long eventTx = row.get("event_tx", Long.class);
		return new Batch(row.get("sessions", Integer.class), row.get("events", Integer.class),
				row.get("others", Integer.class),
				(changeTx != null)
						? new FeedCursor(FeedCursor.Kind.CHANGES, tenantId, changeTx, row.get("change_seq", Long.class))
						: null,
				(eventTx != null) ? new FeedCursor(FeedCursor.Kind.EVENTS, tenantId, eventTx,
						row.get("event_arrival", Long.class)) : null);
	}

	/** Moves the purged positions forward to those of the batch (never back). */
	void advancePositions(UUID tenantId, @Nullable FeedCursor lastChange, @Nullable FeedCursor lastEvent) {
		if (lastChange != null) {
			this.db.update(TENANT_RETENTION)
				.set(PURGED_CHANGE_TX, lastChange.tx())
				.set(PURGED_CHANGE_SEQ, lastChange.seq())
				.where(TENANT_ID.eq(tenantId))
				.and(DSL.row(PURGED_CHANGE_TX, PURGED_CHANGE_SEQ).lt(lastChange.tx(), lastChange.seq()))
				.execute();
		}
		if (lastEvent != null) {
			this.db.update(TENANT_RETENTION)
				.set(PURGED_EVENT_TX, lastEvent.tx())
				.set(PURGED_EVENT_ARRIVAL, lastEvent.seq())
				.where(TENANT_ID.eq(tenantId))
				.and(DSL.row(PURGED_EVENT_TX, PURGED_EVENT_ARRIVAL).lt(lastEvent.tx(), lastEvent.seq()))
				.execute();
		}
	}

	private static Retention retention(Record row) {
		return new Retention(row.get(TENANT_ID), row.get(RETENTION_DAYS), row.get(SET_AT), row.get(DATA_SINCE),
				row.get(PURGED_CHANGE_TX), row.get(PURGED_CHANGE_SEQ), row.get(PURGED_EVENT_TX),
				row.get(PURGED_EVENT_ARRIVAL));
	}

}
