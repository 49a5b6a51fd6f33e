package io.rvfeed.events;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * One recorded lifecycle event as the events feed shows it: what was reported, what it
 * did to its session ({@code effect}), the session's state after it, and its place in the
 * feed ({@code cursor}). Times are RFC 3339 UTC strings.
 *
 * @param effect {@code applied} (it moved the session to its stage, or created it),
 * {@code earlier_stage} (the session was already further on: it only recorded the time of
 * its stage), {@code repeated_stage} (its stage had been reported already: it changed
 * nothing)
 */
public record EventRecord(UUID eventId, UUID sessionId, UUID deviceId, String deviceName, String state,
		String occurredAt, String recordedAt, @Nullable String reason, @Nullable String updatedBy, String effect,
		String sessionState, String cursor) {
}
