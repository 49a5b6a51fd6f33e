package io.rvfeed.events;

import java.util.List;

/** An answer of {@code GET /api/v2/rv-session-events/}. */
record EventsPage(Content content) {

	record Content(List<EventRecord> results, String nextCursor, boolean hasMore) {
	}

}
