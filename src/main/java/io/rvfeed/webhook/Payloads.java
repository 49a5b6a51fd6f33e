package io.rvfeed.webhook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import io.rvfeed.session.FeedItem;
import io.rvfeed.session.FeedItems;
import io.rvfeed.web.FeedCursor;

/**
 * Messages' bodies, {@code {"type", "timestamp", "data"}}: {@code data} holds the session
 * as the feed shows it, the event as the events feed shows it (with its cursor), and the
 * change: the previous and new state, and for an end its reason and duration. Made at a
 * message's first attempt (for a whole claim at once: two statements) and kept with its
 * outcome, so every attempt and replay sends the same bytes.
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

	/**
	 * The messages (of one tenant) with their bodies; a message whose event is gone is
	 * left out. A body made here is kept with the attempt's outcome
	 * ({@link MessageRepository#finish}).
	 */
	List<MessageRow> prepare(List<MessageRow> claimed) {
		List<MessageRow> missing = claimed.stream().filter((m) -> m.payload() == null).toList();
		if (missing.isEmpty()) {
			return claimed;
		}
		UUID tenantId = missing.get(0).tenantId();
		Map<UUID, Record> events = this.messages
			.events(tenantId, missing.stream().map(MessageRow::eventId).distinct().toList())
			.stream()
			.collect(Collectors.toMap((r) -> r.get("event_id", UUID.class), Function.identity()));
		Map<UUID, FeedItem> sessions = this.db.select(FeedItems.COLUMNS)
			.from(DSL.table(DSL.name("rv_session")))
			.where(DSL.field(DSL.name("tenant_id"), SQLDataType.UUID)
				.eq(tenantId)
				.and(DSL.field(DSL.name("session_id"), SQLDataType.UUID)
					.eq(DSL.any(missing.stream().map(MessageRow::sessionId).distinct().toArray(UUID[]::new)))))
			.fetch(FeedItems::toItem)
			.stream()
			.collect(Collectors.toMap(FeedItem::sessionId, Function.identity()));
		List<MessageRow> ready = new ArrayList<>();
		for (MessageRow message : claimed) {
			if (message.payload() != null) {
				ready.add(message);
				continue;
			}
			Record event = events.get(message.eventId());
			if (event == null) {
				continue;
			}
			ready.add(message.withPayload(body(message, event, sessions.get(message.sessionId()))));
		}
		return ready;
	}

	private String body(MessageRow message, Record event, FeedItem session) {
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
		data.put("previous_state", event.get("previous_state", String.class));
		data.put("new_state", event.get("session_state", String.class));
		if (message.eventType().equals(EventTypes.ENDED)) {
			data.put("reason", event.get("reason", String.class));
			data.put("duration", (session != null) ? session.duration() : null);
		}
		data.put("session", session);
		data.put("event", eventRecord);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", message.eventType());
		body.put("timestamp", recordedAt.toString());
		body.put("data", data);
		return this.json.writeValueAsString(body);
	}

}
