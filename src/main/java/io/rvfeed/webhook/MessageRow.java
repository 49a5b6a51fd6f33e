package io.rvfeed.webhook;

import java.time.Instant;
import java.util.UUID;

import org.jooq.Record;
import org.jspecify.annotations.Nullable;

/** A row of {@code webhook_message}. */
record MessageRow(UUID tenantId, UUID messageId, UUID endpointId, UUID eventId, UUID sessionId, String eventType,
		long changeTx, long arrival, Instant createdAt, @Nullable String payload, String status, int attempts,
		Instant nextAttemptAt, @Nullable Instant lastAttemptAt, @Nullable Instant deliveredAt) {

	static MessageRow of(Record r) {
		return new MessageRow(r.get("tenant_id", UUID.class), r.get("message_id", UUID.class),
				r.get("endpoint_id", UUID.class), r.get("event_id", UUID.class), r.get("session_id", UUID.class),
				r.get("event_type", String.class), Long.parseLong(r.get("change_tx", String.class)),
				r.get("arrival", Long.class), r.get("created_at", Instant.class), r.get("payload", String.class),
				r.get("status", String.class), r.get("attempts", Integer.class),
				r.get("next_attempt_at", Instant.class), r.get("last_attempt_at", Instant.class),
				r.get("delivered_at", Instant.class));
	}

	MessageRow withPayload(String body) {
		return new MessageRow(this.tenantId, this.messageId, this.endpointId, this.eventId, this.sessionId,
				this.eventType, this.changeTx, this.arrival, this.createdAt, body, this.status, this.attempts,
				this.nextAttemptAt, this.lastAttemptAt, this.deliveredAt);
	}

	/** The {@code webhook-id}: the same on every attempt, and in every replay. */
	String webhookId() {
		return "msg_" + this.messageId;
	}

}
