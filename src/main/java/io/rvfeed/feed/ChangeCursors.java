package io.rvfeed.feed;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;

import io.rvfeed.session.EventPositions;
import io.rvfeed.web.FeedCursor;
import io.rvfeed.web.RetainedPositions;

/**
 * Session-change positions as clients hold them: the cursors of
 * {@code GET /api/v2/rv-activity-feed/changes} and the event ids of the live stream are
 * the same {@link FeedCursor}s, so either can resume the other.
 */
@Component
class ChangeCursors {

	private final EventPositions positions;

	private final RetainedPositions retained;

	ChangeCursors(EventPositions positions, RetainedPositions retained) {
		this.positions = positions;
		this.retained = retained;
	}

	static String encode(UUID tenantId, ChangePosition position) {
		return new FeedCursor(FeedCursor.Kind.CHANGES, tenantId, position.tx(), position.seq()).encode();
	}

	static ChangePosition start() {
		return new ChangePosition(0, 0);
	}

	/**
	 * The position a client gave back: a cursor of this tenant's changes, or the
	 * {@code <tx>.<seq>} event id that streams sent before cursors (still accepted so
	 * that clients reconnect across the upgrade). Malformed, another tenant's or another
	 * feed's, or beyond the newest position: 400 naming {@code parameter}; older than
	 * what is still held: 410.
	 */
	ChangePosition resume(UUID tenantId, String text, String parameter) {
		Optional<ChangePosition> legacy = ChangePosition.parse(text);
		FeedCursor cursor = legacy
			.map((position) -> new FeedCursor(FeedCursor.Kind.CHANGES, tenantId, position.tx(), position.seq()))
			.orElseGet(() -> FeedCursor.decode(text, FeedCursor.Kind.CHANGES, tenantId, parameter));
		cursor.requireGivenOut(this.positions.snapshotXmin(), parameter);
		cursor.requireRetained(this.retained.purgedThrough(tenantId, FeedCursor.Kind.CHANGES), parameter);
		return new ChangePosition(cursor.tx(), cursor.seq());
	}

	/**
	 * Where a reader starting at a time begins (see
	 * {@link EventPositions#transactionAt}).
	 */
	ChangePosition since(UUID tenantId, Instant since) {
		FeedCursor cursor = FeedCursor.before(FeedCursor.Kind.CHANGES, tenantId,
				this.positions.transactionAt(tenantId, since));
		return new ChangePosition(cursor.tx(), cursor.seq());
	}

}
