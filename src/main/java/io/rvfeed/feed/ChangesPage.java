package io.rvfeed.feed;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import io.rvfeed.session.FeedItem;

/**
 * An answer of {@code GET /api/v2/rv-activity-feed/changes}: matching sessions changed
 * after the cursor, in commit order, each as the feed shows it with the cursor of its
 * change.
 */
record ChangesPage(Content content) {

	record Content(List<Change> results, String nextCursor, boolean hasMore) {
	}

	record Change(@JsonUnwrapped FeedItem session, String cursor) {
	}

}
