package io.rvfeed.webhook;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/** What the webhook API answers (snake_case JSON, times RFC 3339 UTC). */
final class WebhookViews {

	private WebhookViews() {
	}

	record Envelope<T>(T content) {
	}

	record Page<T>(List<T> results, @Nullable String nextBefore) {
	}

	/**
	 * An endpoint; {@code secret} only in the answers to its creation and to a rotation.
	 */
	record Endpoint(UUID id, String url, @Nullable String description, List<String> eventTypes, List<String> states,
			boolean enabled, @Nullable String disabledReason, @Nullable String disabledAt,
			@Nullable String failingSince, @Nullable String secretRotatedAt, @Nullable String previousSecretExpiresAt,
			String createdAt, String updatedAt, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String secret) {

		static Endpoint of(EndpointRow e, @Nullable String secret) {
			return new Endpoint(e.endpointId(), e.url(), e.description(), e.eventTypes(), e.states(), e.enabled(),
					e.disabledReason(), time(e.disabledAt()), time(e.failingSince()), time(e.secretRotatedAt()),
					time(e.previousSecretExpiresAt()), e.createdAt().toString(), e.updatedAt().toString(), secret);
		}

	}

	record Message(String id, UUID messageId, UUID endpointId, String eventType, UUID eventId, UUID sessionId,
			String status, int attempts, String createdAt, @Nullable String nextAttemptAt,
			@Nullable String lastAttemptAt, @Nullable String deliveredAt, @Nullable String payload) {

		static Message of(MessageRow m, boolean withPayload) {
			return new Message(m.webhookId(), m.messageId(), m.endpointId(), m.eventType(), m.eventId(), m.sessionId(),
					m.status(), m.attempts(), m.createdAt().toString(),
					m.status().equals("pending") ? m.nextAttemptAt().toString() : null, time(m.lastAttemptAt()),
					time(m.deliveredAt()), withPayload ? m.payload() : null);
		}

	}

	record Attempt(String attemptedAt, long durationMs, @Nullable Integer statusCode, String result,
			@Nullable String error, @Nullable String responseBody, @Nullable String nextAttemptAt) {

		static Attempt of(MessageRepository.Attempt a) {
			return new Attempt(a.attemptedAt().toString(), a.durationMs(), a.statusCode(), a.result(), a.error(),
					a.responseBody(), time(a.nextAttemptAt()));
		}

	}

	record Replay(int queued, boolean more, @Nullable String nextCursor) {
	}

	static @Nullable String time(java.time.@Nullable Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

}
