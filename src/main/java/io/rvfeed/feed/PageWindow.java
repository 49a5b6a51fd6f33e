package io.rvfeed.feed;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.QueryPart;
import org.jooq.SortField;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

import io.rvfeed.session.SessionTable;

/**
 * Where in the order a page's rows lie, read from the joint counts (V43): bounds on the
 * ordering's leading column, {@code created_at} or {@code updated_at}, that every row of
 * the page meets, so the walk down its index starts at the first day that can hold a
 * match and stops by the day the page must end. Without them a page of matches that lie
 * far down the order (old sessions, newest first) walks past every newer session first:
 * 4.9 and 7.6 s on the benchmark's 2 M-session tenant.
 * <p>
 * The page starts no earlier (in its order) than the first day whose cells may hold a
 * match: cells with a session whose buckets overlap every range. It ends by the day where
 * the cells whose sessions all match (buckets inside every range) reach {@code offset +
 * limit} sessions: that many matches lie before its end. Both only narrow the rows the
 * walk reads; the page is the same. For queries whose count comes from the joint counts
 * (two or more filters, none of them {@code device_name} or {@code created_by}), which
 * then adds up the cells read here instead of reading them again.
 */
final class PageWindow {

	private static final Name CELLS = DSL.name("window_cells");

	private static final Name DAYS = DSL.name("window_days");

	private static final Field<Long> DAY = DSL.field(DSL.name("day"), SQLDataType.BIGINT);

	private static final Field<Long> POSSIBLE = DSL.field(DSL.name("possible"), SQLDataType.BIGINT);

	private static final Field<Long> CERTAIN = DSL.field(DSL.name("certain"), SQLDataType.BIGINT);

	private static final Field<BigDecimal> RUNNING = DSL.field(DSL.name("reached"), SQLDataType.NUMERIC);

	private static final Field<Instant> NEVER_BEFORE = DSL.field("'-infinity'::timestamptz", SQLDataType.INSTANT);

	private static final Field<Instant> NEVER_AFTER = DSL.field("'infinity'::timestamptz", SQLDataType.INSTANT);

	private PageWindow() {
	}

	/**
	 * The window: a {@code with} clause that sums the cells by day, read once, and the
	 * conditions on the leading column.
	 */
	record Window(QueryPart with, List<Condition> conditions) {

		/**
		 * The sum of the cells a condition selects among those read: the cells that may
		 * hold a match include every cell the query's count adds up.
		 */
		Field<Long> cellSum(Condition cells) {
			return KeptCounts.total(DSL.select(KeptCounts.COUNT).from(CELLS).where(cells));
		}

	}

	/** The window of a query, or null when the joint counts do not place its page. */
	static @Nullable Window of(UUID tenantId, FeedQuery query) {
		if (FeedCount.source(query) != FeedCount.Source.JOINT_COUNTS) {
			return null;
		}
		OrderTerm leading = query.ordering().isEmpty() ? OrderTerm.DEFAULT : query.ordering().get(0);
		Field<Long> dayBucket;
		Field<Instant> column;
		if (leading.key() == SortKey.CREATED_AT) {
			dayBucket = JointCounts.CREATED_DAY;
			column = SessionTable.CREATED_AT;
		}
		else if (leading.key() == SortKey.UPDATED_AT) {
			dayBucket = JointCounts.UPDATED_DAY;
			column = SessionTable.UPDATED_AT;
		}
		else {
			return null;
		}
		List<Condition> possible = new ArrayList<>(JointCounts.unrangedConditions(tenantId, query));
		List<Condition> certain = new ArrayList<>();
		long reach;
		try {
			for (JointCounts.Axis<?> axis : JointCounts.axes(query)) {
				if (axis.range() == null) {
					return null;
				}
				possible.add(JointCounts.Span.overlapping(axis.range(), axis.buckets()).cells(axis.bucket()));
				certain.add(JointCounts.Span.inside(axis.range(), axis.buckets()).cells(axis.bucket()));
			}
			reach = Math.addExact(query.offset(), query.limit());
		}
		catch (ArithmeticException outOfRange) {
			return null;
		}
		QueryPart with = DSL.sql("""
				with {0} as materialized ({1}),
				     {2} (day, possible, certain) as materialized (
				       select {3}, sum(n), coalesce(sum(n) filter (where {4}), 0) from {0} group by {3})""", CELLS,
				KeptCounts.JOINT.cells(DSL.and(possible)), DAYS, DSL.name(dayBucket.getName()), DSL.and(certain));
		// the first day that may hold a match, in the page's order; none: no match at all
		Field<Long> first = DSL.field(DSL.select(leading.descending() ? DSL.max(DAY) : DSL.min(DAY))
			.from(DAYS)
			.where(POSSIBLE.gt(DSL.inline(0L))));
		// the day by which offset + limit sessions match, in the page's order
		SortField<Long> order = leading.descending() ? DAY.desc() : DAY.asc();
		Field<Long> reached = DSL.field(DSL.select(DAY)
			.from(DSL.select(DAY, DSL.sum(CERTAIN).over(DSL.orderBy(order)).as(RUNNING.getName()))
				.from(DAYS)
				.asTable("running"))
			.where(RUNNING.ge(DSL.inline(BigDecimal.valueOf(reach))))
			.orderBy(order)
			.limit(1));
		List<Condition> conditions = new ArrayList<>();
		if (leading.descending()) {
			conditions.add(column.lt(dayStart(first.plus(DSL.inline(1L)))));
			conditions.add(column.ge(DSL.coalesce(dayStart(reached), NEVER_BEFORE)));
		}
		else {
			conditions.add(column.ge(dayStart(first)));
			conditions.add(column.lt(DSL.coalesce(dayStart(reached.plus(DSL.inline(1L))), NEVER_AFTER)));
		}
		return new Window(with, conditions);
	}

	/** The start of a UTC day counted from 1970 (null for null). */
	private static Field<Instant> dayStart(Field<Long> day) {
		return DSL.field("to_timestamp({0} * 86400)", SQLDataType.INSTANT, day);
	}

}
