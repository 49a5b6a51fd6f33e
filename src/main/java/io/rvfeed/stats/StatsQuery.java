package io.rvfeed.stats;

import java.time.ZoneId;
import java.util.List;

import io.rvfeed.feed.FeedFilters;

/**
 * A validated statistics request: the feed's filters, up to two keys, the zone and the
 * group limit.
 */
record StatsQuery(FeedFilters filters, List<GroupKey> groupBy, ZoneId zone, int limit) {

	static final int DEFAULT_LIMIT = 50;

	static final int MAX_LIMIT = 1000;

	static final int MAX_KEYS = 2;

	StatsQuery {
		groupBy = List.copyOf(groupBy);
	}

}
