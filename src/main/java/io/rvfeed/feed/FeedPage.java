package io.rvfeed.feed;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.rvfeed.session.FeedItem;

/** The feed's envelope: {@code {"content": {"count", "previous", "next", "results"}}}. */
record FeedPage(Content content) {

	record Content(long count, @Nullable String previous, @Nullable String next, List<FeedItem> results) {
	}

}
