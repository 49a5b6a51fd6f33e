package io.rvfeed.feed;

import static io.rvfeed.feed.FeedConditions.conditions;
import static io.rvfeed.feed.FeedConditions.rowCount;
import static io.rvfeed.session.SessionTable.CREATED_AT;
import static io.rvfeed.session.SessionTable.DURATION_US;
import static io.rvfeed.session.SessionTable.UPDATED_AT;
import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.LongFunction;

import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

/**
 * Exact counts of any combination of the state, quality, reason, time and duration
 * filters from the joint counts kept on write (V43): per tenant x state x quality x
 * reason x UTC day of {@code created_at} x UTC day of {@code updated_at} x duration
 * bucket.
 * <p>
 * The cells whose buckets lie inside every range are added up. A range bound that cuts a
 * bucket is handled per range, whichever reads fewer rows: either the cut bucket is left
 * out of the cells and its matching sessions are counted ({@code inside}), or it is added
 * whole and its sessions outside the range are subtracted ({@code overlap}: a
 * {@code duration_gt=PT10M} subtracts the sessions of exactly ten minutes). With A the
 * ranges that take their inside buckets and B those that take every bucket they overlap,
 * for cells C over those buckets:
 * {@code count = sum(C) + rows(matching, some A value in its cut buckets) - rows(in C,
 * some B value outside its range)}.
 */
final class JointCounts {

	static final Field<Long> CREATED_DAY = DSL.field(DSL.name("created_day"), SQLDataType.BIGINT);

	static final Field<Long> UPDATED_DAY = DSL.field(DSL.name("updated_day"), SQLDataType.BIGINT);

	private static final Field<Long> DURATION_BUCKET = DSL.field(DSL.name("duration_bucket"), SQLDataType.BIGINT);

	/**
	 * The lower bounds of the duration buckets 1 to 19 (V43's
	 * rv_session_duration_bucket).
	 */
	static final long[] DURATION_BOUNDS = { 0L, 1_000_000L, 5_000_000L, 10_000_000L, 30_000_000L, 60_000_000L,
			120_000_000L, 300_000_000L, 600_000_000L, 900_000_000L, 1_800_000_000L, 3_600_000_000L, 7_200_000_000L,
			14_400_000_000L, 28_800_000_000L, 43_200_000_000L, 86_400_000_000L, 172_800_000_000L, 604_800_000_000L };

	private JointCounts() {
	}

	/**
	 * The count of a query without {@code device_name} or {@code created_by}, or null
	 * when a range bound is beyond what the bucket arithmetic handles (then its rows are
	 * counted). {@code cellSum} adds up the cells a condition selects
	 * ({@link KeptCounts#sum}, or the cells a {@link PageWindow} has read already).
	 */
	static @Nullable Field<Long> count(UUID tenantId, FeedQuery query, Function<Condition, Field<Long>> cellSum) {
		List<Axis<?>> axes = axes(query);
		List<Condition> cells = new ArrayList<>(unrangedConditions(tenantId, query));
		List<Condition> added = new ArrayList<>();
		List<Condition> inCells = new ArrayList<>(unrangedConditions(tenantId, query));
		List<Condition> outside = new ArrayList<>();
		try {
			for (Axis<?> axis : axes) {
				if (axis.range() == null) {
					return null;
				}
				Plan plan = Plan.of(axis.range(), axis.buckets());
				if (plan == null) {
					// within one or two buckets: count the rows, at most theirs
					return rowCount(conditions(tenantId, query));
				}
				axis.addTo(plan, cells, added, inCells, outside);
			}
		}
		catch (ArithmeticException outOfRange) {
			return null;
		}
		Field<Long> total = cellSum.apply(DSL.and(cells));
		if (!added.isEmpty()) {
			List<Condition> edge = new ArrayList<>(conditions(tenantId, query));
			edge.add(DSL.or(added));
			total = total.plus(rowCount(edge));
		}
		if (!outside.isEmpty()) {
			inCells.add(DSL.or(outside));
			total = total.minus(rowCount(inCells));
		}
		return total;
	}

	/** The query's range filters, as axes of the cells. */
	static List<Axis<?>> axes(FeedQuery query) {
		List<Axis<?>> axes = new ArrayList<>();
		if (!query.durationMicros().isEmpty()) {
			axes.add(new Axis<>(DURATION_BUCKET, DURATION_US, Long::valueOf, Buckets.DURATION,
					FacetCounts.micros(query.durationMicros())));
		}
		if (!query.createdAt().isEmpty()) {
			axes.add(new Axis<>(CREATED_DAY, CREATED_AT, FacetCounts::instant, Buckets.DAYS,
					FacetCounts.instantMicros(query.createdAt())));
		}
		if (!query.updatedAt().isEmpty()) {
			axes.add(new Axis<>(UPDATED_DAY, UPDATED_AT, FacetCounts::instant, Buckets.DAYS,
					FacetCounts.instantMicros(query.updatedAt())));
		}
		return axes;
	}

	/**
	 * The conditions of the query's state, quality and reason filters, on rows or cells.
	 */
	static List<Condition> unrangedConditions(UUID tenantId, FeedQuery query) {
		FeedQuery unranged = new FeedQuery(query.limit(), query.offset(), query.states(), query.videoQualities(),
				query.reason(), null, null, Bounds.none(), Bounds.none(), Bounds.none(), query.ordering());
		return conditions(tenantId, unranged);
	}

	/**
	 * Buckets of microseconds: days from 1970 (unbounded), or the duration buckets 0
	 * (below zero) to 19.
	 */
	enum Buckets {

		DAYS, DURATION;

		long of(long micros) {
			if (this == DAYS) {
				return Math.floorDiv(micros, FacetCounts.DAY_MICROS);
			}
			int found = Arrays.binarySearch(DURATION_BOUNDS, micros);
			return (found >= 0) ? found + 1 : -found - 1;
		}

		/** The bucket's first microsecond, null for none (below every bound). */
		@Nullable Long start(long bucket) {
			if (this == DAYS) {
				return Math.multiplyExact(bucket, FacetCounts.DAY_MICROS);
			}
			return (bucket == 0) ? null : DURATION_BOUNDS[(int) bucket - 1];
		}

		/** The microsecond after the bucket, null for none (the last duration bucket). */
		@Nullable Long end(long bucket) {
			if (this == DAYS) {
				return Math.multiplyExact(Math.addExact(bucket, 1), FacetCounts.DAY_MICROS);
			}
			return (bucket == DURATION_BOUNDS.length) ? null : DURATION_BOUNDS[(int) bucket];
		}

		@Nullable Long first() {
			return (this == DAYS) ? null : 0L;
		}

		@Nullable Long last() {
			return (this == DAYS) ? null : (long) DURATION_BOUNDS.length;
		}

	}

	/**
	 * How one range is counted: from the buckets {@code from} to {@code to} (null: open),
	 * which either lie inside the range ({@code overlap} false: the rows of the cut
	 * buckets are added) or overlap it ({@code overlap} true: the rows outside the range
	 * are subtracted).
	 */
	record Plan(boolean overlap, @Nullable Long from, @Nullable Long to, FacetCounts.Range range,
			@Nullable Long regionStart, @Nullable Long regionEnd) {

		/** The cheaper plan, or null when the range covers no whole bucket. */
		static @Nullable Plan of(FacetCounts.Range range, Buckets buckets) {
			Long lo = range.lo();
			Long hi = range.hi();
			Span overlap = Span.overlapping(range, buckets);
			Long overlapFrom = overlap.from();
			Long overlapTo = overlap.to();
			Span inside = Span.inside(range, buckets);
			Long insideFrom = inside.from();
			Long insideTo = inside.to();
			if (insideFrom != null && insideTo != null && insideFrom > insideTo) {
				// no whole bucket: counting the range's rows reads less than either plan
				return null;
			}
			Long overlapStart = (overlapFrom != null) ? buckets.start(overlapFrom) : null;
			Long overlapEnd = (overlapTo != null) ? buckets.end(overlapTo) : null;
			// microseconds of rows to read either way; null: unbounded
			Long outsideWidth = width(lo, overlapStart, hi, overlapEnd);
			Long insideStart = (insideFrom != null) ? buckets.start(insideFrom) : null;
			Long insideEnd = (insideTo != null) ? buckets.end(insideTo) : null;
			Long cutWidth = width(lo, insideStart, hi, insideEnd);
			if (outsideWidth != null && cutWidth != null && outsideWidth < cutWidth) {
				return new Plan(true, overlapFrom, overlapTo, range, overlapStart, overlapEnd);
			}
			return new Plan(false, insideFrom, insideTo, range, insideStart, insideEnd);
		}

		private static @Nullable Long width(@Nullable Long lo, @Nullable Long start, @Nullable Long hi,
				@Nullable Long end) {
			long width = 0;
			if (lo != null) {
				if (start == null) {
					return null;
				}
				width = Math.addExact(width, Math.abs(Math.subtractExact(lo, start)));
			}
			if (hi != null) {
				if (end == null) {
					return null;
				}
				width = Math.addExact(width, Math.abs(Math.subtractExact(end, hi)));
			}
			return width;
		}

	}

	/**
	 * The buckets {@code from} to {@code to} (null: open) that overlap a range, or that
	 * lie inside it; the span is empty when {@code from > to}.
	 */
	record Span(@Nullable Long from, @Nullable Long to) {

		static Span overlapping(FacetCounts.Range range, Buckets buckets) {
			Long lo = range.lo();
			Long hi = range.hi();
			return new Span((lo != null) ? Long.valueOf(buckets.of(lo)) : buckets.first(),
					(hi != null) ? Long.valueOf(buckets.of(Math.subtractExact(hi, 1))) : buckets.last());
		}

		static Span inside(FacetCounts.Range range, Buckets buckets) {
			Span overlap = overlapping(range, buckets);
			Long lo = range.lo();
			Long hi = range.hi();
			Long from = overlap.from();
			if (lo != null && !lo.equals(buckets.start(requireNonNull(from)))) {
				from = from + 1;
			}
			Long to = overlap.to();
			if (hi != null && !hi.equals(buckets.end(requireNonNull(to)))) {
				to = to - 1;
			}
			return new Span(from, to);
		}

		/** The cells whose bucket on this column is in the span. */
		Condition cells(Field<Long> bucket) {
			Condition condition = DSL.noCondition();
			if (this.from != null) {
				condition = condition.and(bucket.ge(DSL.inline(this.from)));
			}
			if (this.to != null) {
				condition = condition.and(bucket.le(DSL.inline(this.to)));
			}
			return condition;
		}

	}

	/**
	 * A range filter: its bucket column in the cells, its column and values in the rows.
	 */
	record Axis<T extends Comparable<? super T>>(Field<Long> bucket, Field<T> column, LongFunction<T> value,
			Buckets buckets, FacetCounts.@Nullable Range range) {

		void addTo(Plan plan, List<Condition> cells, List<Condition> added, List<Condition> inCells,
				List<Condition> outside) {
			cells.add(new Span(plan.from(), plan.to()).cells(this.bucket));
			// the rows in the chosen buckets; a duration is never null there
			inCells.add(this.column.isNotNull());
			if (plan.regionStart() != null) {
				inCells.add(this.column.ge(this.value.apply(plan.regionStart())));
			}
			if (plan.regionEnd() != null) {
				inCells.add(this.column.lt(this.value.apply(plan.regionEnd())));
			}
			// overlap: the rows outside the range; inside: the rows of the cut buckets
			Long lo = plan.range().lo();
			Long hi = plan.range().hi();
			List<Condition> edges = plan.overlap() ? outside : added;
			if (lo != null && !lo.equals(plan.regionStart())) {
				edges.add(this.column.lt(this.value.apply(plan.overlap() ? lo : requireNonNull(plan.regionStart()))));
			}
			if (hi != null && !hi.equals(plan.regionEnd())) {
				edges.add(this.column.ge(this.value.apply(plan.overlap() ? hi : requireNonNull(plan.regionEnd()))));
			}
		}

	}

}
