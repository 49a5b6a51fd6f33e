package io.rvfeed.feed;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jooq.Condition;
import org.jspecify.annotations.Nullable;

/**
 * The feed's filters for other read endpoints (the statistics): the same parameters, read
 * by the same rules ({@link FeedQueryParser}) into the same {@code WHERE} conditions
 * ({@link FeedConditions}), so that a filter selects exactly the rows the feed shows.
 * Paging and ordering parameters ({@code limit}, {@code offset}, {@code ordering}) are
 * not filters and are left to the caller.
 */
public final class FeedFilters {

	/** The feed's parameters that are not filters. */
	public static final Set<String> NOT_FILTERS = Set.of("limit", "offset", "ordering");

	private final FeedQuery query;

	private FeedFilters(FeedQuery query) {
		this.query = query;
	}

	/**
	 * The filters among the parameters, or null when any is invalid; then every problem
	 * has been added to {@code problems} (as the feed words them).
	 */
	public static @Nullable FeedFilters parse(Map<String, String[]> parameters, List<String> problems) {
		Map<String, String[]> filters = new HashMap<>(parameters);
		filters.keySet().removeAll(NOT_FILTERS);
		FeedQuery query = FeedQueryParser.parseCollecting(filters, problems);
		return (query != null) ? new FeedFilters(query) : null;
	}

	/** The tenant's rows that meet the filters, as conditions on {@code rv_session}. */
	public List<Condition> conditions(UUID tenantId) {
		return FeedConditions.conditions(tenantId, this.query);
	}

}
