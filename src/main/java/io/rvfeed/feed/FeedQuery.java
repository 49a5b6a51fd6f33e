package io.rvfeed.feed;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.rvfeed.session.SessionState;
import io.rvfeed.session.VideoQuality;

/**
 * A validated feed request. Text filters are already case-folded; duration bounds are
 * whole microseconds and time bounds whole-microsecond instants, rounded so that
 * comparing them with stored values gives the exact answer.
 */
record FeedQuery(int limit, long offset, Set<SessionState> states, Set<VideoQuality> videoQualities,
		@Nullable String reason, @Nullable String deviceName, @Nullable String createdBy, Bounds<Long> durationMicros,
		Bounds<Instant> createdAt, Bounds<Instant> updatedAt, List<OrderTerm> ordering) {

	static final int DEFAULT_LIMIT = 20;

	static final int MAX_LIMIT = 500;

	FeedQuery {
		states = Set.copyOf(states);
		videoQualities = Set.copyOf(videoQualities);
		ordering = List.copyOf(ordering);
	}

}
