package io.rvfeed.events;

import java.time.Instant;
import java.util.Map;

/**
 * Events as ArcSight Common Event Format (CEF:0) lines, the format most SIEMs ingest
 * natively. One line per event:
 *
 * <pre>
 * CEF:0|rv-feed|rv-feed|VERSION|rv-session-STATE|NAME|SEVERITY|EXTENSIONS
 * </pre>
 *
 * The mapping (documented in docs/api-guide.md, "Events as CEF"):
 * <ul>
 * <li>signature id {@code rv-session-<state>} and name per state; severity INITIATED 3,
 * ACKNOWLEDGED 3, ACTIVE 5 (a screen is being viewed), TERMINATED 3, FAILED 6;</li>
 * <li>{@code rt} occurred_at and {@code deviceCustomDate1} (label {@code recordedAt})
 * recorded_at, both in milliseconds since the epoch; {@code externalId} event_id;
 * {@code act} the event's state; {@code outcome} its effect; {@code suser} updated_by;
 * {@code dhost} device_name; {@code reason} reason; {@code cs1} session_id, {@code cs2}
 * device_id, {@code cs3} the session's state after the event, {@code cs4} the event's
 * cursor, each with its {@code csNLabel}. Keys without a value are left out.</li>
 * </ul>
 * Escaping as CEF requires: in header fields {@code \} and {@code |} are escaped with a
 * backslash; in extension values {@code \} and {@code =} are, and line breaks become
 * {@code \n} and {@code \r}, so every event stays on one line.
 */
public final class CefLines {

	public static final String VENDOR = "rv-feed";

	public static final String PRODUCT = "rv-feed";

	private static final Map<String, Integer> SEVERITY = Map.of("INITIATED", 3, "ACKNOWLEDGED", 3, "ACTIVE", 5,
			"TERMINATED", 3, "FAILED", 6);

	private static final Map<String, String> NAME = Map.of("INITIATED", "Remote viewing session initiated",
			"ACKNOWLEDGED", "Remote viewing session acknowledged by the device", "ACTIVE",
			"Remote viewing session active", "TERMINATED", "Remote viewing session terminated", "FAILED",
			"Remote viewing session failed");

	private final String version;

	public CefLines(String version) {
		this.version = version;
	}

	/** This build's version, as the jar's manifest has it ({@code dev} outside a jar). */
	public static String productVersion() {
		String version = CefLines.class.getPackage().getImplementationVersion();
		return (version != null) ? version : "dev";
	}

	/** The event's line, without the line break. */
	public String line(EventRecord event) {
		StringBuilder line = new StringBuilder("CEF:0|");
		line.append(header(VENDOR)).append('|');
		line.append(header(PRODUCT)).append('|');
		line.append(header(this.version)).append('|');
		line.append(header("rv-session-" + event.state().toLowerCase(java.util.Locale.ROOT))).append('|');
		line.append(header(NAME.getOrDefault(event.state(), "Remote viewing session event"))).append('|');
		line.append(SEVERITY.getOrDefault(event.state(), 3)).append('|');
		StringBuilder extensions = new StringBuilder();
		extension(extensions, "rt", millis(event.occurredAt()));
		extension(extensions, "externalId", event.eventId());
		extension(extensions, "act", event.state());
		extension(extensions, "outcome", event.effect());
		extension(extensions, "suser", event.updatedBy());
		extension(extensions, "dhost", event.deviceName());
		extension(extensions, "reason", event.reason());
		extension(extensions, "cs1Label", "sessionId");
		extension(extensions, "cs1", event.sessionId());
		extension(extensions, "cs2Label", "deviceId");
		extension(extensions, "cs2", event.deviceId());
		extension(extensions, "cs3Label", "sessionState");
		extension(extensions, "cs3", event.sessionState());
		extension(extensions, "cs4Label", "cursor");
		extension(extensions, "cs4", event.cursor());
		extension(extensions, "deviceCustomDate1Label", "recordedAt");
		extension(extensions, "deviceCustomDate1", millis(event.recordedAt()));
		return line.append(extensions).toString();
	}

	private static void extension(StringBuilder extensions, String key, Object value) {
		if (value == null) {
			return;
		}
		if (!extensions.isEmpty()) {
			extensions.append(' ');
		}
		extensions.append(key).append('=').append(extensionValue(value.toString()));
	}

	private static String millis(String rfc3339) {
		return String.valueOf(Instant.parse(rfc3339).toEpochMilli());
	}

	/**
	 * A header field: {@code \} and {@code |} escaped; a line break would end the line.
	 */
	static String header(String value) {
		return value.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
	}

	/** An extension value: {@code \} and {@code =} escaped, line breaks as {@code \n}. */
	static String extensionValue(String value) {
		StringBuilder escaped = new StringBuilder(value.length() + 8);
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '\\' -> escaped.append("\\\\");
				case '=' -> escaped.append("\\=");
				case '\n' -> escaped.append("\\n");
				case '\r' -> escaped.append("\\r");
				default -> escaped.append(c);
			}
		}
		return escaped.toString();
	}

}
