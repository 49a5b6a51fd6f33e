package io.rvfeed.feed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.Record;
import org.jooq.Select;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The counts kept on write. Writers never update a shared counter row: triggers append
 * signed deltas to a delta table, readers add the deltas not folded in yet to the
 * compacted counts in their own snapshot, and compaction folds the deltas into the counts
 * in one transaction, so a reader sees a delta or its effect, never both or neither.
 */
public enum KeptCounts {

	/** V4: per tenant, state and video quality. */
	STATE_AND_QUALITY("rv_session_count", "rv_session_count_delta", "tenant_id, state, video_quality"),

	/** V7: per tenant and facet value (see {@link FeedFacets}). */
	FACETS("rv_session_facet_count", "rv_session_facet_delta", "tenant_id, facet, bucket, value"),

	/**
	 * V43: per tenant, state, quality, reason and the buckets of the time and duration
	 * filters (see {@link JointCounts}).
	 */
	JOINT("rv_session_joint_count", "rv_session_joint_delta",
			"tenant_id, state, video_quality, reason_lc, created_day, updated_day, duration_bucket");

	private final Table<Record> counts;

	private final Table<Record> deltas;

	private final String foldSql;

	private final Field<Boolean> turn;

	private final List<Name> key;

	KeptCounts(String counts, String deltas, String key) {
		this.counts = DSL.table(DSL.name(counts));
		this.deltas = DSL.table(DSL.name(deltas));
		this.key = Arrays.stream(key.split(", ")).map(DSL::name).toList();
		// "tenant_id is not null" (always true) lets the delete find the deltas
		// through the table's index: a delta table keeps its pages (V9), and a
		// scan of the whole table read every page it ever grew to, each second,
		// whether or not any delta was left
		this.foldSql = """
				with moved as (delete from %2$s where tenant_id is not null returning %3$s, n),
				      folded as (insert into %1$s (%3$s, n)
				                 select %3$s, sum(n) from moved group by %3$s
				                 on conflict (%3$s) do update set n = %1$s.n + excluded.n)
				select count(*) from moved""".formatted(counts, deltas, key);
		this.turn = DSL.field("pg_try_advisory_xact_lock(hashtext('" + deltas + "'))", SQLDataType.BOOLEAN);
	}

	/** The total of the matching counts plus the matching deltas not folded in yet. */
	Field<Long> sum(Condition matching) {
		return total(rows(matching, COUNT));
	}

	/**
	 * The matching counts and the matching deltas not folded in yet, as rows of the given
	 * columns (a value may come more than once).
	 */
	Select<Record> rows(Condition matching, Field<?>... columns) {
		return DSL.select(columns)
			.from(this.counts)
			.where(matching)
			.unionAll(DSL.select(columns).from(this.deltas).where(matching));
	}

	static final Field<Long> COUNT = DSL.field(DSL.name("n"), SQLDataType.BIGINT);

	/**
	 * The matching counts and the matching deltas not folded in yet, each with its key
	 * columns and {@code n}.
	 */
	Select<Record> cells(Condition matching) {
		List<Field<?>> columns = new ArrayList<>();
		for (Name column : this.key) {
			columns.add(DSL.field(column));
		}
		columns.add(COUNT);
		return rows(matching, columns.toArray(Field<?>[]::new));
	}

	/** The sum of {@code n} over rows such as {@link #rows} selects. */
	static Field<Long> total(Select<?> rows) {
		return DSL.field("(select coalesce(sum(n), 0) from ({0}) parts)", SQLDataType.BIGINT, rows);
	}

	/**
	 * One statement that folds every delta into the counts and answers how many it
	 * folded; for callers that hold the table to themselves (the bench generator).
	 */
	public String foldSql() {
		return this.foldSql;
	}

	/**
	 * Folds the deltas into the counts in the caller's transaction and answers how many
	 * it folded. Deltas of transactions still running stay for the next time. Compactions
	 * take turns on an advisory lock; one that finds it taken does nothing.
	 */
	int compact(DSLContext db) {
		if (!Boolean.TRUE.equals(db.fetchValue(this.turn))) {
			return 0;
		}
		return db.resultQuery(this.foldSql).fetchOne(0, Integer.class);
	}

	/**
	 * Vacuums the delta table, outside any transaction (VACUUM cannot run in one); skips
	 * it when another vacuum holds the table. Without ownership of the table PostgreSQL
	 * only warns.
	 */
	void vacuumDeltas(DSLContext db) {
		db.execute("vacuum (skip_locked) " + this.deltas.getName());
	}

}
