package io.rvfeed.session;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A validated lifecycle report. {@code occurredAt} and {@code updatedBy} are null when
 * the client left them to their defaults (now, and the caller).
 */
record NewEvent(UUID sessionId, @Nullable UUID eventId, SessionState state, @Nullable Instant occurredAt,
		@Nullable String reason, @Nullable String updatedBy) {
}
