package io.rvfeed.webhook;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import io.rvfeed.session.FeedItem;
import io.rvfeed.session.FeedItems;
import io.rvfeed.web.FeedCursor;

/**
 * A message's body, {@code {"type", "timestamp", "data"}}: {@code data} holds the session
 * as the feed shows it, the event as the events feed shows it (with its cursor), and the
 * change: the previous and new state, and for an end its duration and reason. Made at the
 * message's first attempt and kept, so every attempt and replay sends the same bytes.
 */
@Component
class Payloads {

	private final MessageRepository messages;

	private final DSLContext db;

	private final JsonMapper json;

	Payloads(MessageRepository messages, DSLContext db, JsonMapper json) {
		this.messages = messages;
		this.db = db;
		this.json = json;
	}

	String body(MessageRow message) {
		if (message.payload() != null) {
			return message.payload();
		}
		Record event = this.messages.event(message.tenantId(), message.eventId())
			.orElseThrow(() -> new IllegalStateException("The event of message " + message.messageId() + " is gone"));
		Optional<FeedItem> session = this.db.select(FeedItems.COLUMNS)
			.from(DSL.table(DSL.name("rv_session")))
			.where(DSL.field(DSL.name("tenant_id"), UUID.class)
				.eq(message.tenantId())
				.and(DSL.field(DSL.name("session_id"), UUID.class).eq(message.sessionId())))
			.fetchOptional(FeedItems::toItem);
		Instant recordedAt = event.get("received_at", Instant.class);
		Map<String, Object> eventRecord = new LinkedHashMap<>();
		eventRecord.put("event_id", event.get("event_id", UUID.class));
		eventRecord.put("session_id", event.get("session_id", UUID.class));
		eventRecord.put("state", event.get("state", String.class));
		eventRecord.put("occurred_at", event.get("occurred_at", Instant.class).toString());
		eventRecord.put("recorded_at", recordedAt.toString());
		eventRecord.put("reason", event.get("reason", String.class));
		eventRecord.put("updated_by", event.get("updated_by", String.class));
		eventRecord.put("effect", event.get("effect", String.class));
		eventRecord.put("session_state", event.get("session_state", String.class));
		eventRecord.put("cursor",
				new FeedCursor(FeedCursor.Kind.EVENTS, message.tenantId(),
						Long.parseLong(event.get("change_tx", String.class)), event.get("arrival", Long.class))
					.encode());
		Map<String, Object> data = new LinkedHashMap<>();
		String newState = event.get("session_state", String.class);
		@Nullable String previous = event.get("previous_state", String.class);
		data.put("previous_state", previous);
		data.put("new_state", newState);
		if (message.eventType().equals(EventTypes.ENDED)) {
			data.put("reason", event.get("reason", String.class));
			data.put("duration", session.map(FeedItem::duration).orElse(null));
		}
		data.put("session", session.orElse(null));
		data.put("event", eventRecord);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", message.eventType());
		body.put("timestamp", recordedAt.toString());
		body.put("data", data);
		String text = this.json.writeValueAsString(body);
		this.messages.savePayload(message.tenantId(), message.messageId(), text);
		return text;
	}

}
