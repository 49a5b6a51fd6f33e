package io.rvfeed.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Reading a JSON object field by field, every problem collected, without a server. */
class JsonBodyTest {

	enum Color {

		RED, GREEN, BLUE

	}

	private static final Set<String> FIELDS = Set.of("id", "name", "at", "count", "color");

	private static JsonNode json(String text) {
		return JsonBody.parse(text.getBytes(StandardCharsets.UTF_8), "an object");
	}

	private static JsonBody body(String text) {
		return JsonBody.object(json(text), "", FIELDS);
	}

	@Test
	void validFieldsAreRead() {
		UUID id = UUID.randomUUID();
		JsonBody body = body("{\"id\":\"" + id + "\",\"name\":\"Kiosk\",\"at\":\"2024-01-01T10:00:00.1234567+02:00\","
				+ "\"count\":20,\"color\":\" green \"}");
		assertThat(body.uuid("id", true)).isEqualTo(id);
		assertThat(body.string("name", 10, true)).isEqualTo("Kiosk");
		assertThat(body.time("at")).isEqualTo(Instant.parse("2024-01-01T08:00:00.123456Z"));
		assertThat(body.integer("count", Set.of(10, 20))).isEqualTo(20);
		assertThat(body.enumValue("color", Color.class, Set.of(Color.GREEN), true)).isEqualTo(Color.GREEN);
		assertThat(body.problems()).isEmpty();
		body.throwIfInvalid();
	}

	@Test
	void absentAndNullFieldsAreNullUnlessRequired() {
		JsonBody body = body("{\"name\":null}");
		assertThat(body.string("name", 10, false)).isNull();
		assertThat(body.uuid("id", false)).isNull();
		assertThat(body.time("at")).isNull();
		assertThat(body.has("name")).isFalse();
		assertThat(body.problems()).isEmpty();
		assertThat(body.string("name", 10, true)).isNull();
		assertThat(body.problems()).containsExactly("field 'name' is required.");
	}

	@Test
	void everyBadFieldIsNamedOnce() {
		JsonBody body = JsonBody
			.object(json("{\"id\":\"5f0c1b2e8a4d4c1e9f3a2b7d6e8c9a01\",\"name\":\" \",\"at\":\"tomorrow\","
					+ "\"count\":1.5,\"color\":\"PINK\"}"), "item 3: ", FIELDS);
		body.uuid("id", true);
		body.string("name", 10, true);
		body.time("at");
		body.integer("count", Set.of(1));
		body.enumValue("color", Color.class, EnumSet.of(Color.RED, Color.BLUE), false);
		assertThat(body.problems()).containsExactly(
				"item 3: field 'id' must be a UUID such as 5f0c1b2e-8a4d-4c1e-9f3a-2b7d6e8c9a01.",
				"item 3: field 'name' must not be empty.",
				"item 3: field 'at' must be an RFC 3339 timestamp such as 2023-10-01T12:00:00Z or "
						+ "2023-10-01T12:00:00.123456+02:00, or a date such as 2023-10-01.",
				"item 3: field 'count' must be an integer.",
				"item 3: field 'color' has the unknown value 'PINK'. Allowed values: RED, BLUE.");
		assertThatExceptionOfType(InvalidRequest.class).isThrownBy(body::throwIfInvalid)
			.withMessageStartingWith(
					"The request has 5 problems (all listed in errors). The first: item 3: field 'id'");
	}

	@Test
	void wrongTypesAreRefused() {
		JsonBody body = body("{\"name\":5,\"count\":\"5\",\"color\":true}");
		body.string("name", 10, false);
		body.integer("count", Set.of(5));
		body.enumValue("color", Color.class, Set.of(Color.values()), false);
		assertThat(body.problems()).containsExactly("field 'name' must be a string.",
				"field 'count' must be an integer.", "field 'color' must be a string.");
	}

	@Test
	void lengthsCountCodePointsAndNulIsRefused() {
		JsonBody body = body("{\"name\":\"\uD83D\uDE00\uD83D\uDE00\"}");
		assertThat(body.string("name", 2, true)).isEqualTo("\uD83D\uDE00\uD83D\uDE00");
		assertThat(body.string("name", 1, true)).isNull();
		JsonBody nul = body("{\"name\":\"a\\u0000b\"}");
		assertThat(nul.string("name", 10, true)).isNull();
		assertThat(body.problems()).containsExactly("field 'name' must be at most 1 characters.");
		assertThat(nul.problems()).containsExactly("field 'name' must not contain NUL characters.");
	}

	@Test
	void anIntegerOutsideTheAllowedSetListsThem() {
		JsonBody body = body("{\"count\":3}");
		assertThat(body.integer("count", Set.of(20, 0, 1))).isNull();
		assertThat(body.problems()).containsExactly("field 'count' must be one of 0, 1, 20.");
	}

	@Test
	void unknownFieldsAreRefusedWithTheKnownOnes() {
		JsonBody body = JsonBody.object(json("{\"nmae\":\"x\",\"colour\":\"red\"}"), "", FIELDS);
		assertThat(body.problems()).singleElement()
			.asString()
			.startsWith("unknown fields ")
			.contains("'nmae'", "'colour'")
			.endsWith(". Known fields: at, color, count, id, name.");
	}

	@Test
	void anythingButAnObjectIsRefused() {
		assertThat(JsonBody.object(json("[1]"), "item 0: ", FIELDS).problems())
			.containsExactly("item 0: must be a JSON object.");
		assertThat(JsonBody.object(null, "", FIELDS).problems()).containsExactly("must be a JSON object.");
	}

	@Test
	void anEmptyOrMalformedBodyIsA400() {
		assertThatExceptionOfType(InvalidRequest.class).isThrownBy(() -> json("  \n"))
			.withMessage("The request body is empty; send an object.");
		assertThatExceptionOfType(InvalidRequest.class).isThrownBy(() -> json("{\"a\":\n1,}"))
			.withMessageStartingWith("The request body is not valid JSON (line 2, column ");
	}

	@Test
	void aDuplicateKeyIsMalformed() {
		assertThatExceptionOfType(InvalidRequest.class).isThrownBy(() -> json("{\"name\":\"a\",\"name\":\"b\"}"))
			.withMessageStartingWith("The request body is not valid JSON");
	}

}
