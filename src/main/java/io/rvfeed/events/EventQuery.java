package io.rvfeed.events;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import io.rvfeed.session.SessionState;

/**
 * The filters of the events feed, validated; time bounds are whole-microsecond instants
 * rounded so that comparing them with stored values gives the exact answer.
 */
record EventQuery(@Nullable UUID sessionId, @Nullable UUID deviceId, Set<SessionState> states,
		@Nullable String updatedBy, TimeRange occurredAt, TimeRange recordedAt) {

	EventQuery {
		states = Set.copyOf(states);
	}

	record TimeRange(@Nullable Instant lt, @Nullable Instant lte, @Nullable Instant gt, @Nullable Instant gte) {
	}

}
