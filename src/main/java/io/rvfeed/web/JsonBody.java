package io.rvfeed.web;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A JSON object from a request body, read field by field with every problem collected, so
 * one 400 names each field that is wrong and why. Unknown fields are refused, which
 * catches typos that would otherwise be silently ignored.
 */
public final class JsonBody {

	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	private final JsonNode node;

	private final String where;

	private final List<String> problems;

	private JsonBody(JsonNode node, String where, List<String> problems) {
		this.node = node;
		this.where = where;
		this.problems = problems;
	}

	/**
	 * Reads the body; {@link RequestBodyFilter} has received it in full already, within
	 * the size and time limits, and a JSON body that is not well-formed UTF-8 is refused
	 * here.
	 */
	public static byte[] readBytes(HttpServletRequest request) {
		try (InputStream in = request.getInputStream()) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new InvalidRequest("The request body could not be read.");
		}
	}

	public static JsonNode parse(byte[] bytes, String what) {
		if (bytes.length == 0 || new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
			throw new InvalidRequest("The request body is empty; send " + what + ".");
		}
		try {
			return JSON.readTree(bytes);
		}
		catch (JacksonException ex) {
			throw new InvalidRequest("The request body is not valid JSON" + location(ex) + ".");
		}
	}

	/**
	 * Why {@code bytes} (from {@code from}) are refused as text: the first byte that is
	 * not well-formed UTF-8 is at {@code invalid}; names the JSON field it is in when the
	 * text before it tells.
	 */
	public static String notUtf8(String what, byte[] bytes, int from, int invalid) {
		String field = fieldAt(bytes, from, invalid);
		return what + " is not valid UTF-8: " + ((field != null) ? field : "it")
				+ " has an invalid, overlong or surrogate byte sequence at byte " + (invalid - from)
				+ ". Send text as UTF-8.";
	}

	/** The field whose string value or name contains the byte at {@code offset}. */
	private static @Nullable String fieldAt(byte[] bytes, int from, int offset) {
		try (JsonParser parser = JSON.createParser(bytes, from, offset - from)) {
			JsonToken last = null;
			try {
				for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
					last = token;
				}
			}
			catch (JacksonException ex) {
				// the text stops inside the string that holds the bad bytes
			}
			TokenStreamContext context = parser.streamReadContext();
			if (last == JsonToken.VALUE_STRING && !context.inRoot()) {
				return path(context);
			}
			if (context.inObject()) {
				String parent = context.getParent().inRoot() ? null : path(context.getParent());
				return "a field name" + ((parent != null) ? " in " + parent : "");
			}
			return null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/** "field 'reason'", "field 'reason' of item 3", "field 'scopes[1]'", "item 2". */
	private static String path(TokenStreamContext context) {
		List<TokenStreamContext> chain = new ArrayList<>();
		for (TokenStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
			chain.add(0, at);
		}
		String item = null;
		StringBuilder field = new StringBuilder();
		for (int i = 0; i < chain.size(); i++) {
			TokenStreamContext at = chain.get(i);
			if (at.inArray()) {
				if (i == 0) {
					item = "item " + at.getCurrentIndex();
				}
				else {
					field.append('[').append(at.getCurrentIndex()).append(']');
				}
			}
			else if (at.currentName() != null) {
				field.append((field.length() > 0) ? "." : "").append(at.currentName());
			}
		}
		if (field.length() == 0) {
			return (item != null) ? item : "it";
		}
		return "field " + shown(field.toString()) + ((item != null) ? " of " + item : "");
	}

	static String location(JacksonException ex) {
		var location = ex.getLocation();
		return (location != null && location.getLineNr() > 0)
				? " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")" : "";
	}

	/**
	 * Reads an object; {@code where} prefixes field names in messages (e.g. "item 3: ").
	 */
	public static JsonBody object(JsonNode node, String where, Set<String> knownFields) {
		List<String> problems = new ArrayList<>();
		if (node == null || !node.isObject()) {
			problems.add(where + "must be a JSON object.");
			return new JsonBody(JSON.createObjectNode(), where, problems);
		}
		List<String> unknown = node.propertyNames().stream().filter((name) -> !knownFields.contains(name)).toList();
		if (!unknown.isEmpty()) {
			problems.add(where + "unknown field" + ((unknown.size() > 1) ? "s " : " ")
					+ unknown.stream().limit(5).map(JsonBody::shown).collect(Collectors.joining(", "))
					+ ". Known fields: " + knownFields.stream().sorted().collect(Collectors.joining(", ")) + ".");
		}
		return new JsonBody(node, where, problems);
	}

	public List<String> problems() {
		return this.problems;
	}

	/** Throws the collected problems, if any, as one 400. */
	public void throwIfInvalid() {
		if (!this.problems.isEmpty()) {
			throw new InvalidRequest(this.problems);
		}
	}

	private @Nullable JsonNode value(String field) {
		JsonNode value = this.node.get(field);
		return (value == null || value.isNull()) ? null : value;
	}

	private void problem(String field, String text) {
		this.problems.add(this.where + "field '" + field + "' " + text);
	}

	public @Nullable String string(String field, int maxLength, boolean required) {
		JsonNode value = value(field);
		if (value == null) {
			if (required) {
				problem(field, "is required.");
			}
			return null;
		}
		if (!value.isString()) {
			problem(field, "must be a string.");
			return null;
		}
		String text = value.asString();
		if (required && text.isBlank()) {
			problem(field, "must not be empty.");
			return null;
		}
		if (text.codePointCount(0, text.length()) > maxLength) {
			problem(field, "must be at most " + maxLength + " characters.");
			return null;
		}
		if (text.indexOf('\0') >= 0) {
			problem(field, "must not contain NUL characters.");
			return null;
		}
		int surrogate = UnicodeText.unpairedSurrogateAt(text);
		if (surrogate >= 0) {
			problem(field,
					String.format(
							"has an unpaired surrogate (\\u%04x) at character %d: it is not valid "
									+ "Unicode text. Escape a character outside the Basic Multilingual Plane as a pair "
									+ "(\\ud83d\\ude00) or send it as UTF-8.",
							(int) text.charAt(surrogate), surrogate));
			return null;
		}
		return text;
	}

	public @Nullable UUID uuid(String field, boolean required) {
		String text = string(field, 36, required);
		if (text == null) {
			return null;
		}
		Optional<UUID> uuid = RequestHeaders.parseUuid(text);
		if (uuid.isEmpty()) {
			problem(field, "must be a UUID such as 5f0c1b2e-8a4d-4c1e-9f3a-2b7d6e8c9a01.");
		}
		return uuid.orElse(null);
	}

	/** An RFC 3339 time, truncated to the microseconds PostgreSQL keeps. */
	public @Nullable Instant time(String field) {
		String text = string(field, 64, false);
		if (text == null) {
			return null;
		}
		try {
			return Rfc3339.parse(text.trim()).truncatedTo(ChronoUnit.MICROS);
		}
		catch (IllegalArgumentException ex) {
			problem(field, ex.getMessage() + ".");
			return null;
		}
	}

	public @Nullable Integer integer(String field, Set<Integer> allowed) {
		JsonNode value = value(field);
		if (value == null) {
			return null;
		}
		if (!value.isIntegralNumber() || !value.canConvertToInt()) {
			problem(field, "must be an integer.");
			return null;
		}
		int number = value.asInt();
		if (!allowed.contains(number)) {
			problem(field, "must be one of "
					+ allowed.stream().sorted().map(String::valueOf).collect(Collectors.joining(", ")) + ".");
			return null;
		}
		return number;
	}

	public <E extends Enum<E>> @Nullable E enumValue(String field, Class<E> type, Set<E> allowed, boolean required) {
		String text = string(field, 64, required);
		if (text == null) {
			return null;
		}
		try {
			E value = Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
			if (allowed.contains(value)) {
				return value;
			}
		}
		catch (IllegalArgumentException ex) {
			// reported below
		}
		problem(field, "has the unknown value " + shown(text) + ". Allowed values: "
				+ allowed.stream().map(Enum::name).collect(Collectors.joining(", ")) + ".");
		return null;
	}

	public boolean has(String field) {
		return value(field) != null;
	}

	private static String shown(String text) {
		String cut = (text.codePointCount(0, text.length()) > 40)
				? text.substring(0, text.offsetByCodePoints(0, 40)) + "..." : text;
		// an unpaired surrogate cannot be written back as JSON text
		return "'" + cut.replaceAll("\\p{Cntrl}", "?").replaceAll("\\p{Cs}", "\uFFFD") + "'";
	}

}
