package io.rvfeed.session;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A validated request to create a session. {@code createdAt} and {@code createdBy} are
 * null when the client left them to their defaults, which matters when a retry is
 * compared with the original.
 */
record NewSession(@Nullable UUID sessionId, UUID deviceId, String deviceName, @Nullable String deviceAlias,
		@Nullable Integer deviceState, VideoQuality videoQuality, @Nullable Instant createdAt,
		@Nullable String createdBy) {
}
