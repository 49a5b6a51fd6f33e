/**
 * Insights: {@code GET /api/v2/rv-activity-stats/}, exact statistics of the tenant's
 * sessions (counts by final state, failure rate, duration sum, percentiles and maximum)
 * over the feed's filters, grouped by up to two keys, time buckets in any IANA zone. The
 * filters are the feed's own ({@link io.rvfeed.feed.FeedFilters}). Uses {@code feed},
 * {@code session}, {@code auth} and {@code web}.
 */
@NullMarked
package io.rvfeed.stats;

import org.jspecify.annotations.NullMarked;
