package io.rvfeed.feed;

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
 * buckets at their edges.
 */
final class FeedFacets {

	private static final Field<UUID> TENANT_ID = DSL.field(DSL.name("tenant_id"), SQLDataType.UUID);

	private static final Field<String> FACET = DSL.field(DSL.name("facet"), SQLDataType.CLOB);

	private static final Field<Long> BUCKET = DSL.field(DSL.name("bucket"), SQLDataType.BIGINT);

	static final Field<String> VALUE = DSL.field(DSL.name("value"), SQLDataType.CLOB);

	private static final long DAY_MICROS = 86_400_000_000L;

	private static final long SECOND_MICROS = 1_000_000L;

	private FeedFacets() {
	}

	/**
	 * The query's count from the facet counts, or null when they cannot answer it: only a
	 * query with exactly one filter, and that one not on state or video quality. A
	 * device-name filter is not answered here: the feed counts it with its page, from
	 * {@link #deviceNames}.
	 */
	static @Nullable Field<Long> count(UUID tenantId, FeedQuery query) {
		if (!answers(query)) {
			return null;
		}
		if (query.reason() != null) {
			return sum(tenantId, "reason", FeedRepository.contains(VALUE, query.reason()));
		}
		if (query.createdBy() != null) {
			return sum(tenantId, "created_by", VALUE.collate(FeedRepository.CODE_POINT).eq(query.createdBy()));
		}
		List<Condition> rows = FeedRepository.conditions(tenantId, query);
		if (!query.durationMicros().isEmpty()) {
			return range(tenantId, "duration_s", micros(query.durationMicros()), SECOND_MICROS, rows, DURATION_US,
					Long::valueOf);
		}
		if (!query.createdAt().isEmpty()) {
			return range(tenantId, "created_day", instantMicros(query.createdAt()), DAY_MICROS, rows, CREATED_AT,
					FeedFacets::instant);
		}
		if (!query.updatedAt().isEmpty()) {
			return range(tenantId, "updated_day", instantMicros(query.updatedAt()), DAY_MICROS, rows, UPDATED_AT,
					FeedFacets::instant);
		}
		return null;
	}

	/** Whether the query has exactly one filter, and that one not on state or quality. */
	static boolean answers(FeedQuery query) {
		return query.states().isEmpty() && query.videoQualities().isEmpty() && filters(query) == 1;
	}

	/**
	 * The device names (case-folded) that contain the term, each with a count or a delta
	 * of its sessions ({@code value, n}); a name may come more than once. Every session's
	 * name is among them in the reader's snapshot.
	 */
	static Select<Record> deviceNames(UUID tenantId, String term) {
		return KeptCounts.FACETS.rows(ofFacet(tenantId, "device_name", FeedRepository.contains(VALUE, term)), VALUE,
				KeptCounts.COUNT);
	}

	private static int filters(FeedQuery query) {
		int filters = 0;
		filters += (query.reason() != null) ? 1 : 0;
		filters += (query.deviceName() != null) ? 1 : 0;
		filters += (query.createdBy() != null) ? 1 : 0;
		filters += query.durationMicros().isEmpty() ? 0 : 1;
		filters += query.createdAt().isEmpty() ? 0 : 1;
		filters += query.updatedAt().isEmpty() ? 0 : 1;
		return filters;
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
	 * A range {@code [lo, hi)} in microseconds, either end open (null). Null when a bound
	 * is out of the range this arithmetic can handle (the rows are counted then).
	 */
	private record Range(@Nullable Long lo, @Nullable Long hi) {
	}

	/**
	 * The count of a range on {@code column}, whose values {@code value} makes from
	 * microseconds, bucketed by {@code width} microseconds.
	 */
	private static <T> @Nullable Field<Long> range(UUID tenantId, String facet, @Nullable Range range, long width,
			List<Condition> rows, Field<T> column, LongFunction<T> value) {
		if (range == null) {
			return null;
		}
		try {
			// the whole buckets inside the range: [firstWhole, lastWhole]
			Long firstWhole = (range.lo() != null) ? -Math.floorDiv(-range.lo(), width) : null;
			Long lastWhole = (range.hi() != null) ? Math.floorDiv(range.hi(), width) - 1 : null;
			if (firstWhole != null && lastWhole != null && firstWhole > lastWhole) {
				// within one or two buckets: counting its rows reads at most those
				return FeedRepository.rowCount(rows);
			}
			Condition whole = DSL.noCondition();
			List<Field<Long>> parts = new ArrayList<>();
			if (firstWhole != null) {
				whole = whole.and(BUCKET.ge(firstWhole));
				long wholeStart = Math.multiplyExact(firstWhole, width);
				if (wholeStart > range.lo()) {
					parts.add(rowCount(rows, column.lt(value.apply(wholeStart))));
				}
			}
			if (lastWhole != null) {
				whole = whole.and(BUCKET.le(lastWhole));
				long wholeEnd = Math.multiplyExact(lastWhole + 1, width);
				if (wholeEnd < range.hi()) {
					parts.add(rowCount(rows, column.ge(value.apply(wholeEnd))));
				}
			}
			Field<Long> total = sum(tenantId, facet, whole);
			for (Field<Long> part : parts) {
				total = total.plus(part);
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
		return FeedRepository.rowCount(edgeRows);
	}

	private static @Nullable Range micros(Bounds<Long> bounds) {
		try {
			Long lo = max(bounds.gte(), (bounds.gt() != null) ? Math.addExact(bounds.gt(), 1) : null);
			Long hi = min(bounds.lt(), (bounds.lte() != null) ? Math.addExact(bounds.lte(), 1) : null);
			return new Range(lo, hi);
		}
		catch (ArithmeticException outOfRange) {
			return null;
		}
	}

	private static @Nullable Range instantMicros(Bounds<Instant> bounds) {
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

	private static Instant instant(long micros) {
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
