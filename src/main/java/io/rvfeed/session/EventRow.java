package io.rvfeed.session;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** A row of {@code rv_session_event}: one lifecycle report as it was received. */
public record EventRow(UUID tenantId, UUID eventId, UUID sessionId, SessionState state, Instant occurredAt,
		Instant receivedAt, @Nullable String reason, @Nullable String updatedBy) {
}
