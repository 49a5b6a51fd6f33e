package io.rvfeed.session;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

import io.rvfeed.web.JsonBody;
import io.rvfeed.web.UnicodeText;

/** Reads and validates the write API's JSON bodies. */
final class SessionRequests {

	/** Esper's DeviceStateEnumAndroid values. */
	static final Set<Integer> DEVICE_STATES = Set.of(0, 1, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150,
			160, 170, 180, 190, 200);

	static final Set<SessionState> EVENT_STATES = EnumSet.of(SessionState.ACKNOWLEDGED, SessionState.ACTIVE,
			SessionState.TERMINATED, SessionState.FAILED);

	static final int MAX_BATCH = 1000;

	static final int MAX_NAME = 255;

	static final int MAX_REASON = 1000;

	private static final Set<String> SESSION_FIELDS = Set.of("session_id", "device_id", "device_name", "device_alias",
			"device_state", "video_quality", "created_at", "created_by");

	private static final Set<String> EVENT_FIELDS = Set.of("event_id", "state", "occurred_at", "reason", "updated_by");

	private static final Set<String> BATCH_EVENT_FIELDS = Set.of("session_id", "event_id", "state", "occurred_at",
			"reason", "updated_by");

	private SessionRequests() {
	}

	static NewSession newSession(JsonNode node) {
		JsonBody body = JsonBody.object(node, "", SESSION_FIELDS);
		UUID sessionId = body.uuid("session_id", false);
		UUID deviceId = body.uuid("device_id", true);
		String deviceName = body.string("device_name", MAX_NAME, true);
		String deviceAlias = body.string("device_alias", MAX_NAME, false);
		Integer deviceState = body.integer("device_state", DEVICE_STATES);
		VideoQuality quality = body.enumValue("video_quality", VideoQuality.class, EnumSet.allOf(VideoQuality.class),
				false);
		var createdAt = body.time("created_at");
		String createdBy = body.string("created_by", MAX_NAME, false);
		body.throwIfInvalid();
		return new NewSession(sessionId, deviceId, deviceName, deviceAlias, deviceState,
				(quality != null) ? quality : VideoQuality.STANDARD, createdAt, createdBy);
	}

	static NewEvent newEvent(UUID sessionId, JsonNode node) {
		JsonBody body = JsonBody.object(node, "", EVENT_FIELDS);
		NewEvent event = event(sessionId, body);
		body.throwIfInvalid();
		return event;
	}

	private static NewEvent event(UUID sessionId, JsonBody body) {
		UUID eventId = body.uuid("event_id", false);
		SessionState state = body.enumValue("state", SessionState.class, EVENT_STATES, true);
		var occurredAt = body.time("occurred_at");
		String reason = body.string("reason", MAX_REASON, false);
		String updatedBy = body.string("updated_by", MAX_NAME, false);
		return new NewEvent(sessionId, eventId, state, occurredAt, reason, updatedBy);
	}

	/** A batch item: either a valid event or the reasons it is not. */
	record BatchItem(NewEvent event, List<String> problems, UUID sessionId, UUID eventId) {

		boolean valid() {
			return this.problems.isEmpty();
		}

	}

	/**
	 * A JSON array or NDJSON (one object per line) of events, each naming its session.
	 */
	static List<BatchItem> batch(byte[] bytes, boolean ndjson) {
		List<JsonNode> nodes = new ArrayList<>();
		List<String> lineProblems = new ArrayList<>();
		if (ndjson) {
			// split on bytes, so that each line is checked as UTF-8 as sent, not decoded
			// leniently first
			int start = 0;
			for (int at = 0; at <= bytes.length; at++) {
				if (at < bytes.length && bytes[at] != '\n') {
					continue;
				}
				int end = (at > start && bytes[at - 1] == '\r') ? at - 1 : at;
				int lineStart = start;
				start = at + 1;
				int invalid = UnicodeText.invalidUtf8At(bytes, lineStart, end);
				if (invalid >= 0) {
					nodes.add(null);
					lineProblems.add(JsonBody.notUtf8("This line", bytes, lineStart, invalid));
					continue;
				}
				if (new String(bytes, lineStart, end - lineStart, StandardCharsets.UTF_8).isBlank()) {
					continue;
				}
				try {
					nodes.add(JsonBody.parse(Arrays.copyOfRange(bytes, lineStart, end), "an event"));
					lineProblems.add(null);
				}
				catch (io.rvfeed.web.InvalidRequest ex) {
					nodes.add(null);
					lineProblems.add("This line is not valid JSON.");
				}
			}
		}
		else {
			JsonNode root = JsonBody.parse(bytes, "a JSON array of events");
			if (!root.isArray()) {
				throw new io.rvfeed.web.InvalidRequest(
						"The request body must be a JSON array of events (or NDJSON with Content-Type application/x-ndjson).");
			}
			root.forEach((node) -> {
				nodes.add(node);
				lineProblems.add(null);
			});
		}
		if (nodes.isEmpty()) {
			throw new io.rvfeed.web.InvalidRequest("The batch has no events.");
		}
		if (nodes.size() > MAX_BATCH) {
			throw new io.rvfeed.web.InvalidRequest(
					"The batch has " + nodes.size() + " events; send at most " + MAX_BATCH + " per request.");
		}
		List<BatchItem> items = new ArrayList<>();
		for (int i = 0; i < nodes.size(); i++) {
			if (lineProblems.get(i) != null) {
				items.add(new BatchItem(null, List.of(lineProblems.get(i)), null, null));
				continue;
			}
			JsonBody body = JsonBody.object(nodes.get(i), "", BATCH_EVENT_FIELDS);
			UUID sessionId = body.uuid("session_id", true);
			NewEvent event = event(sessionId, body);
			items.add(new BatchItem(body.problems().isEmpty() ? event : null, List.copyOf(body.problems()), sessionId,
					event.eventId()));
		}
		return items;
	}

}
