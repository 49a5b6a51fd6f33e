package io.rvfeed.session;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** A row of {@code rv_session}: the current state of one session. */
public record SessionRow(UUID tenantId, UUID sessionId, UUID deviceId, String deviceName, @Nullable String deviceAlias,
		@Nullable Integer deviceState, SessionState state, VideoQuality videoQuality, @Nullable String reason,
		@Nullable String createdBy, @Nullable String updatedBy, Instant createdAt, Instant updatedAt,
		@Nullable Instant startedAt, @Nullable Instant endedAt) {
}
