package io.rvfeed.events;

import java.util.UUID;

import org.springframework.stereotype.Component;

import io.rvfeed.session.EventPositions;
import io.rvfeed.web.FeedCursor;
import io.rvfeed.web.RetainedPositions;

/**
 * Where a reading of the events feed starts: a cursor given back, a time, or the start.
 */
@Component
class EventCursors {

	private final EventPositions positions;

	private final RetainedPositions retained;

	EventCursors(EventPositions positions, RetainedPositions retained) {
		this.positions = positions;
		this.retained = retained;
	}

	/**
	 * From the request's {@code cursor} (malformed, another tenant's or feed's, or beyond
	 * the newest position: 400; older than what is still held: 410), else its
	 * {@code since}, else the start.
	 */
	FeedCursor from(UUID tenantId, EventRequest request) {
		if (request.cursor() != null) {
			String parameter = "Parameter 'cursor'";
			FeedCursor cursor = FeedCursor.decode(request.cursor(), FeedCursor.Kind.EVENTS, tenantId, parameter);
			cursor.requireGivenOut(this.positions.snapshotXmin(), parameter);
			cursor.requireRetained(this.retained.purgedThrough(tenantId, FeedCursor.Kind.EVENTS), parameter);
			return cursor;
		}
		if (request.since() != null) {
			return FeedCursor.before(FeedCursor.Kind.EVENTS, tenantId,
					this.positions.transactionAt(tenantId, request.since()));
		}
		return FeedCursor.start(FeedCursor.Kind.EVENTS, tenantId);
	}

}
