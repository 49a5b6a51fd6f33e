package io.rvfeed.feed;

import static io.rvfeed.feed.FeedConditions.CODE_POINT;
import static io.rvfeed.feed.FeedConditions.conditions;
import static io.rvfeed.feed.FeedConditions.contains;
import static io.rvfeed.session.SessionTable.CREATED_AT;
import static io.rvfeed.session.SessionTable.DURATION_US;
import static io.rvfeed.session.SessionTable.UPDATED_AT;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.LongFunction;

import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Select;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

/**
 * Exact counts of a single filter other than state and video quality, from the facet
 * counts kept on write (V7): text filters add up the counts of the matching values, range
 * filters add up their whole buckets and count only the sessions in the partly covered
 * buckets at their edges. The buckets are those V7's {@code rv_session_facets} computes
 * (its comment calls this class FeedFacets). {@link FeedCount} decides when they answer a
 * query.
 */
final class FacetCounts {

	private static final Field<UUID> TENANT_ID = DSL.field(DSL.name("tenant_id"), SQLDataType.UUID);

	private static final Field<String> FACET = DSL.field(DSL.name("facet"), SQLDataType.CLOB);

	private static final Field<Long> BUCKET = DSL.field(DSL.name("bucket"), SQLDataType.BIGINT);

	static final Field<String> VALUE = DSL.field(DSL.name("value"), SQLDataType.CLOB);

	static final long DAY_MICROS = 86_400_000_000L;

	static final long SECOND_MICROS = 1_000_000L;

	private FacetCounts() {
	}

	/**
	 * The count of a query whose one filter is {@code reason}, {@code created_by} or a
	 * range, or null when the facet counts cannot answer it (a range bound beyond what
	 * the bucket arithmetic handles). A device-name filter is not answered here: the feed
	 * counts it with its page, from {@link #deviceNames}.
	 */
	static @Nullable Field<Long> count(UUID tenantId, FeedQuery query) {
		if (query.reason() != null) {
			return sum(tenantId, "reason", contains(VALUE, query.reason()));
		}
		if (query.createdBy() != null) {
			return sum(tenantId, "created_by", VALUE.collate(CODE_POINT).eq(query.createdBy()));
		}
		List<Condition> rows = conditions(tenantId, query);
		if (!query.durationMicros().isEmpty()) {
			return range(tenantId, "duration_s", micros(query.durationMicros()), SECOND_MICROS, rows, DURATION_US,
					Long::valueOf);
		}
		if (!query.createdAt().isEmpty()) {
			return range(tenantId, "created_day", instantMicros(query.createdAt()), DAY_MICROS, rows, CREATED_AT,
					FacetCounts::instant);
		}
		if (!query.updatedAt().isEmpty()) {
			return range(tenantId, "updated_day", instantMicros(query.updatedAt()), DAY_MICROS, rows, UPDATED_AT,
					FacetCounts::instant);
		}
		return null;
	}

	/**
	 * The device names (case-folded) that contain the term, each with a count or a delta
	 * of its sessions ({@code value, n}); a name may come more than once. Every session's
	 * name is among them in the reader's snapshot.
	 */
	static Select<Record> deviceNames(UUID tenantId, String term) {
		return KeptCounts.FACETS.rows(ofFacet(tenantId, "device_name", contains(VALUE, term)), VALUE, KeptCounts.COUNT);
	}

	/**
	 * The compacted counts plus the deltas not folded in yet, in the reader's snapshot.
	 */
	private static Field<Long> sum(UUID tenantId, String facet, Condition matching) {
		return KeptCounts.FACETS.sum(ofFacet(tenantId, facet, matching));
	}

	private static Condition ofFacet(UUID tenantId, String facet, Condition matching) {
		return TENANT_ID.eq(tenantId).and(FACET.eq(DSL.inline(facet))).and(matching);
	}

	/**
	 * A range {@code [lo, hi)} in microseconds, either end open (null).
	 */
	record Range(@Nullable Long lo, @Nullable Long hi) {
	}

	/**
	 * How a range is counted from buckets: the whole buckets {@code firstWhole} to
	 * {@code lastWhole} (either end open: null) from the facet counts, plus the rows of
	 * the partly covered buckets at its edges, counted one by one: those below
	 * {@code rowsBelow} and those from {@code rowsFrom} on (null: no such edge). With
	 * {@code rowsOnly} the range covers no whole bucket, only parts of one or two, and
	 * its rows are counted instead.
	 */
	record Split(boolean rowsOnly, @Nullable Long firstWhole, @Nullable Long lastWhole, @Nullable Long rowsBelow,
			@Nullable Long rowsFrom) {

		/** The split of a range over buckets {@code width} wide, or null on overflow. */
		static @Nullable Split of(Range range, long width) {
			try {
				Long firstWhole = (range.lo() != null) ? -Math.floorDiv(-range.lo(), width) : null;
				Long lastWhole = (range.hi() != null) ? Math.floorDiv(range.hi(), width) - 1 : null;
				if (firstWhole != null && lastWhole != null && firstWhole > lastWhole) {
					return new Split(true, null, null, null, null);
				}
				Long rowsBelow = null;
				if (firstWhole != null) {
					long wholeStart = Math.multiplyExact(firstWhole, width);
					rowsBelow = (wholeStart > range.lo()) ? wholeStart : null;
				}
				Long rowsFrom = null;
				if (lastWhole != null) {
					long wholeEnd = Math.multiplyExact(lastWhole + 1, width);
					rowsFrom = (wholeEnd < range.hi()) ? wholeEnd : null;
				}
				return new Split(false, firstWhole, lastWhole, rowsBelow, rowsFrom);
			}
			catch (ArithmeticException outOfRange) {
				return null;
			}
		}

	}

	/**
	 * The count of a range on {@code column}, whose values {@code value} makes from
	 * microseconds, bucketed by {@code width} microseconds; null when a bound is out of
	 * the range this arithmetic can handle (the rows are counted then).
	 */
	private static <T> @Nullable Field<Long> range(UUID tenantId, String facet, @Nullable Range range, long width,
			List<Condition> rows, Field<T> column, LongFunction<T> value) {
		Split split = (range != null) ? Split.of(range, width) : null;
		if (split == null) {
			return null;
		}
		if (split.rowsOnly()) {
			// within one or two buckets: counting its rows reads at most those
			return FeedConditions.rowCount(rows);
		}
		try {
			Condition whole = DSL.noCondition();
			if (split.firstWhole() != null) {
				whole = whole.and(BUCKET.ge(split.firstWhole()));
			}
			if (split.lastWhole() != null) {
				whole = whole.and(BUCKET.le(split.lastWhole()));
			}
			Field<Long> total = sum(tenantId, facet, whole);
			if (split.rowsBelow() != null) {
				total = total.plus(rowCount(rows, column.lt(value.apply(split.rowsBelow()))));
			}
			if (split.rowsFrom() != null) {
				total = total.plus(rowCount(rows, column.ge(value.apply(split.rowsFrom()))));
			}
			return total;
		}
		catch (ArithmeticException outOfRange) {
			return null;
		}
	}

	private static Field<Long> rowCount(List<Condition> rows, Condition edge) {
		List<Condition> edgeRows = new ArrayList<>(rows);
		edgeRows.add(edge);
		return FeedConditions.rowCount(edgeRows);
	}

	/** The bounds as a range, or null when a bound is too large to make it. */
	static @Nullable Range micros(Bounds<Long> bounds) {
		try {
			Long lo = max(bounds.gte(), (bounds.gt() != null) ? Math.addExact(bounds.gt(), 1) : null);
			Long hi = min(bounds.lt(), (bounds.lte() != null) ? Math.addExact(bounds.lte(), 1) : null);
			return new Range(lo, hi);
		}
		catch (ArithmeticException outOfRange) {
			return null;
		}
	}

	static @Nullable Range instantMicros(Bounds<Instant> bounds) {
		try {
			return micros(
					new Bounds<>(micros(bounds.lt()), micros(bounds.lte()), micros(bounds.gt()), micros(bounds.gte())));
		}
		catch (ArithmeticException outOfRange) {
			return null;
		}
	}

	private static @Nullable Long micros(@Nullable Instant instant) {
		return (instant != null) ? ChronoUnit.MICROS.between(Instant.EPOCH, instant) : null;
	}

	static Instant instant(long micros) {
		return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
	}

	private static @Nullable Long max(@Nullable Long a, @Nullable Long b) {
		if (a == null || b == null) {
			return (a != null) ? a : b;
		}
		return Math.max(a, b);
	}

	private static @Nullable Long min(@Nullable Long a, @Nullable Long b) {
		if (a == null || b == null) {
			return (a != null) ? a : b;
		}
		return Math.min(a, b);
	}

}
