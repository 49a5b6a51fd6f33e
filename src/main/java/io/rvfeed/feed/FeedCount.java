package io.rvfeed.feed;

import static io.rvfeed.feed.FeedConditions.conditions;
import static io.rvfeed.feed.FeedConditions.rowCount;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * Decides how the feed reads a query's exact {@code count}; the one place that does. The
 * count is an expression of the page's statement, so it is read in the page's snapshot
 * and agrees with it.
 * <ul>
 * <li>{@link Source#KEPT_COUNTS}: no filter, or only {@code states} and
 * {@code video_qualities}: the counts kept per state and quality ({@link StateCounts},
 * V4).</li>
 * <li>{@link Source#FACET_COUNTS}: exactly one other filter and neither of those: the
 * facet counts ({@link FacetCounts}, V7).</li>
 * <li>{@link Source#JOINT_COUNTS}: any other combination of those filters with
 * {@code reason}, the time ranges and the duration range: the joint counts
 * ({@link JointCounts}, V43).</li>
 * <li>{@link Source#ROWS}: with {@code device_name} or {@code created_by} besides another
 * filter: the matching rows are counted.</li>
 * </ul>
 */
final class FeedCount {

	/** Where a query's count comes from. */
	enum Source {

		KEPT_COUNTS, FACET_COUNTS, JOINT_COUNTS, ROWS

	}

	private FeedCount() {
	}

	static Source source(FeedQuery query) {
		int filters = filtersBesidesStateAndQuality(query);
		if (filters == 0) {
			return Source.KEPT_COUNTS;
		}
		if (filters == 1 && query.states().isEmpty() && query.videoQualities().isEmpty()) {
			return Source.FACET_COUNTS;
		}
		if (query.deviceName() == null && query.createdBy() == null) {
			return Source.JOINT_COUNTS;
		}
		return Source.ROWS;
	}

	/**
	 * The count of a query without a {@code device_name} filter. A range the facet
	 * arithmetic cannot handle (a bound near the ends of time) counts its rows.
	 */
	static Field<Long> of(UUID tenantId, FeedQuery query) {
		return of(tenantId, query, KeptCounts.JOINT::sum);
	}

	/**
	 * The same, with the joint counts' cells added up by {@code jointCellSum} (those a
	 * {@link PageWindow} has read for the page).
	 */
	static Field<Long> of(UUID tenantId, FeedQuery query, Function<Condition, Field<Long>> jointCellSum) {
		return switch (source(query)) {
			case KEPT_COUNTS -> StateCounts.count(tenantId, query.states(), query.videoQualities());
			case FACET_COUNTS -> {
				Field<Long> facets = FacetCounts.count(tenantId, query);
				yield (facets != null) ? facets : rowCount(conditions(tenantId, query));
			}
			case JOINT_COUNTS -> {
				Field<Long> joint = JointCounts.count(tenantId, query, jointCellSum);
				yield (joint != null) ? joint : rowCount(conditions(tenantId, query));
			}
			case ROWS -> rowCount(conditions(tenantId, query));
		};
	}

	/**
	 * The count of a query with a {@code device_name} filter, whose statement reads the
	 * matching device names from the facet counts (see {@link FeedRepository#readQuery}):
	 * as the sole filter, the sum of those names' sessions; else the matching rows, found
	 * by name when the names have {@code few} sessions and by substring otherwise, as the
	 * page is.
	 */
	static Field<Long> ofDeviceNames(FeedQuery query, Field<Long> namedSessions, Condition few, List<Condition> byName,
			List<Condition> bySubstring) {
		if (source(query) == Source.FACET_COUNTS) {
			return namedSessions;
		}
		return DSL.when(few, rowCount(byName)).otherwise(rowCount(bySubstring));
	}

	private static int filtersBesidesStateAndQuality(FeedQuery query) {
		int filters = 0;
		filters += (query.reason() != null) ? 1 : 0;
		filters += (query.deviceName() != null) ? 1 : 0;
		filters += (query.createdBy() != null) ? 1 : 0;
		filters += query.durationMicros().isEmpty() ? 0 : 1;
		filters += query.createdAt().isEmpty() ? 0 : 1;
		filters += query.updatedAt().isEmpty() ? 0 : 1;
		return filters;
	}

}
