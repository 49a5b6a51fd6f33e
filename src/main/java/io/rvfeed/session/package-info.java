/**
 * The write API and the lifecycle rules: sessions created, then their events recorded
 * singly or in batches, idempotently and in any order; the session with its timeline.
 * Owns {@code rv_session} and {@code rv_session_event}. Exposes to {@code feed} the
 * session as the feed shows it ({@link io.rvfeed.session.FeedItem}, read by
 * {@link io.rvfeed.session.FeedItems}), the table's columns
 * ({@link io.rvfeed.session.SessionTable}) and the state and quality enums; to
 * {@code demo} the repository's bulk insert and its rows. Uses {@code auth} and
 * {@code web}.
 */
@NullMarked
package io.rvfeed.session;

import org.jspecify.annotations.NullMarked;
