package io.rvfeed.events;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.rvfeed.support.Cef;

import static org.assertj.core.api.Assertions.assertThat;

/** Each CEF field against the documented mapping, escaping included. */
class CefLinesTest {

	private static final UUID EVENT = UUID.fromString("0193a5b2-7c4e-7a10-9d1e-3f6b8c2d4e51");

	private static final UUID SESSION = UUID.fromString("3d8de18d-d8d1-4dbb-a014-0e2da19222fe");

	private static final UUID DEVICE = UUID.fromString("9b0f3c4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f");

	private static EventRecord event(String state, String deviceName, String reason, String updatedBy, String effect) {
		return new EventRecord(EVENT, SESSION, DEVICE, deviceName, state, "2026-11-20T09:22:41.500123Z",
				"2026-11-20T09:22:41.733108Z", reason, updatedBy, effect, "TERMINATED", "AWUPDB6K2o-_");
	}

	@Test
	void everyFieldIsWhereTheMappingPutsIt() {
		String line = new CefLines("1.2.3").line(event("TERMINATED", "Lobby-Kiosk-0042 Berlin", "Ended by console user",
				"alice@acme.example", "applied"));
		assertThat(line).doesNotContain("\n").doesNotContain("\r");
		List<String> header = Cef.header(line);
		assertThat(header).containsExactly("CEF:0", "rv-feed", "rv-feed", "1.2.3", "rv-session-terminated",
				"Remote viewing session terminated", "3");
		Map<String, String> extensions = Cef.extensions(line);
		assertThat(extensions).containsExactly(Map.entry("rt", "1795166561500"),
				Map.entry("externalId", EVENT.toString()), Map.entry("act", "TERMINATED"),
				Map.entry("outcome", "applied"), Map.entry("suser", "alice@acme.example"),
				Map.entry("dhost", "Lobby-Kiosk-0042 Berlin"), Map.entry("reason", "Ended by console user"),
				Map.entry("cs1Label", "sessionId"), Map.entry("cs1", SESSION.toString()),
				Map.entry("cs2Label", "deviceId"), Map.entry("cs2", DEVICE.toString()),
				Map.entry("cs3Label", "sessionState"), Map.entry("cs3", "TERMINATED"), Map.entry("cs4Label", "cursor"),
				Map.entry("cs4", "AWUPDB6K2o-_"), Map.entry("deviceCustomDate1Label", "recordedAt"),
				Map.entry("deviceCustomDate1", "1795166561733"));
	}

	@Test
	void signatureAndSeverityFollowTheState() {
		CefLines cef = new CefLines("1");
		Map<String, List<String>> expected = Map.of("INITIATED", List.of("rv-session-initiated", "3"), "ACKNOWLEDGED",
				List.of("rv-session-acknowledged", "3"), "ACTIVE", List.of("rv-session-active", "5"), "TERMINATED",
				List.of("rv-session-terminated", "3"), "FAILED", List.of("rv-session-failed", "6"));
		expected.forEach((state, signatureAndSeverity) -> {
			List<String> header = Cef.header(cef.line(event(state, "d", null, null, "applied")));
			assertThat(List.of(header.get(4), header.get(6))).as(state).isEqualTo(signatureAndSeverity);
		});
	}

	@Test
	void valuesAreEscapedAsCefRequires() {
		String hostile = "back\\slash = equals | pipe\nline\r\nend";
		String line = new CefLines("2.0|beta\\x").line(event("FAILED", hostile, hostile, null, "earlier_stage"));
		assertThat(line).doesNotContain("\n").doesNotContain("\r");
		assertThat(line).contains("dhost=back\\\\slash \\= equals | pipe\\nline\\r\\nend ");
		assertThat(line).startsWith("CEF:0|rv-feed|rv-feed|2.0\\|beta\\\\x|rv-session-failed|");
		assertThat(Cef.header(line).get(3)).isEqualTo("2.0|beta\\x");
		Map<String, String> extensions = Cef.extensions(line);
		assertThat(extensions.get("dhost")).isEqualTo(hostile);
		assertThat(extensions.get("reason")).isEqualTo(hostile);
		assertThat(extensions).doesNotContainKey("suser");
		assertThat(extensions.get("outcome")).isEqualTo("earlier_stage");
	}

	@Test
	void aHeaderFieldCannotBreakTheLine() {
		assertThat(CefLines.header("a\nb\rc|d\\e")).isEqualTo("a b c\\|d\\\\e");
	}

}
