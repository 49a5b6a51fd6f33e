package io.rvfeed.feed;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import org.springframework.stereotype.Repository;

import io.rvfeed.session.SessionState;
import io.rvfeed.session.VideoQuality;

/**
 * Exact counts per tenant, state and video quality from the counts kept on write (V4):
 * the compacted counts plus the deltas not yet folded in, read in the caller's snapshot.
 */
@Repository
public class FeedCounts {

	private static final Table<Record> COUNT = DSL.table(DSL.name("rv_session_count"));

	private static final Table<Record> DELTA = DSL.table(DSL.name("rv_session_count_delta"));

	private static final Field<UUID> TENANT_ID = DSL.field(DSL.name("tenant_id"), SQLDataType.UUID);

	private static final Field<String> STATE = DSL.field(DSL.name("state"), SQLDataType.CLOB);

	private static final Field<String> VIDEO_QUALITY = DSL.field(DSL.name("video_quality"), SQLDataType.CLOB);

	private final DSLContext db;

	FeedCounts(DSLContext db) {
		this.db = db;
	}

	/** Whether the query's count is one of the kept counts: no filters but these. */
	static boolean answers(FeedQuery query) {
		return query.reason() == null && query.deviceName() == null && query.createdBy() == null
				&& query.durationMicros().isEmpty() && query.createdAt().isEmpty() && query.updatedAt().isEmpty();
	}

	/** The count as an expression, to be read in the same statement as the page. */
	static Field<Long> count(UUID tenantId, Set<SessionState> states, Set<VideoQuality> qualities) {
		List<Condition> where = new ArrayList<>();
		where.add(TENANT_ID.eq(tenantId));
		if (!states.isEmpty()) {
			where.add(STATE.in(states.stream().map(Enum::name).toList()));
		}
		if (!qualities.isEmpty()) {
			where.add(VIDEO_QUALITY.in(qualities.stream().map(Enum::name).toList()));
		}
		Condition matching = DSL.and(where);
		return DSL.field(
				"(select coalesce(sum(n), 0) from (select n from {0} where {1} union all select n from {2} where {1}) parts)",
				SQLDataType.BIGINT, COUNT, matching, DELTA);
	}

	/**
	 * Folds the deltas into the counts in one transaction (the caller's), and answers how
	 * many deltas it folded. Deltas of transactions still running stay for the next time.
	 * Compactions take turns on an advisory lock; one that finds it taken does nothing.
	 */
	public int compact() {
		Boolean locked = this.db.fetchValue(
				DSL.field("pg_try_advisory_xact_lock(hashtext('rv_session_count_delta'))", SQLDataType.BOOLEAN));
		if (!Boolean.TRUE.equals(locked)) {
			return 0;
		}
		return this.db.resultQuery("""
				with moved as (delete from rv_session_count_delta returning tenant_id, state, video_quality, n),
				      folded as (insert into rv_session_count (tenant_id, state, video_quality, n)
				                 select tenant_id, state, video_quality, sum(n) from moved
				                 group by tenant_id, state, video_quality
				                 on conflict (tenant_id, state, video_quality)
				                 do update set n = rv_session_count.n + excluded.n)
				select count(*) from moved""").fetchOne(0, Integer.class);
	}

	/**
	 * Vacuums the delta table, outside any transaction (VACUUM cannot run in one); skips
	 * it when another vacuum holds the table. Without ownership of the table PostgreSQL
	 * only warns.
	 */
	void vacuumDeltas() {
		this.db.execute("vacuum (skip_locked) rv_session_count_delta");
	}

}
