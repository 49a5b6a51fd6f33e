/**
 * The read API: Esper's activity feed (filters, ordering, paging, exact counts), the
 * export and the live stream, all read from {@code rv_session} and the counts kept on
 * write (V4, V7). Exposes to {@code bench} the feed's SQL
 * ({@link io.rvfeed.feed.FeedRepository#inlinedSql}) and the counts' fold
 * ({@link io.rvfeed.feed.KeptCounts}). Uses {@code session}, {@code auth} and
 * {@code web}.
 */
@NullMarked
package io.rvfeed.feed;

import org.jspecify.annotations.NullMarked;
