package io.rvfeed.session;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * One session as the feed shows it. Times are RFC 3339 UTC strings and the duration an
 * ISO 8601 string, formatted once here so every endpoint prints them the same way.
 */
public record FeedItem(UUID sessionId, UUID deviceId, String deviceName, @Nullable String deviceAlias,
		@Nullable Integer deviceState, String state, String videoQuality, @Nullable String reason,
		@Nullable String duration, @Nullable String createdBy, @Nullable String updatedBy, String createdAt,
		String updatedAt, @Nullable String startedAt, @Nullable String endedAt) {
}
