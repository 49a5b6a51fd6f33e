package io.rvfeed.webhook;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import io.rvfeed.session.SessionState;
import io.rvfeed.web.JsonBody;

/**
 * An endpoint's fields as a create or PATCH body gives them; a field absent from a PATCH
 * is null here and left as it is.
 */
record EndpointRequest(@Nullable String url, boolean hasDescription, @Nullable String description,
		@Nullable List<String> eventTypes, @Nullable List<String> states, @Nullable Boolean enabled) {

	static final int MAX_DESCRIPTION = 500;

	private static final Set<String> FIELDS = Set.of("url", "description", "event_types", "states", "enabled");

	static EndpointRequest parse(JsonNode node, boolean create, TargetGuard guard) {
		JsonBody body = JsonBody.object(node, "", FIELDS);
		List<String> problems = body.problems();
		String url = body.string("url", TargetGuard.MAX_URL_LENGTH, create);
		if (url != null) {
			String problem = guard.urlProblem(url);
			if (problem != null) {
				problems.add("field 'url' " + problem);
			}
		}
		String description = body.string("description", MAX_DESCRIPTION, false);
		List<String> eventTypes = strings(node, "event_types", EventTypes.ALL, problems);
		List<String> states = strings(node, "states",
				java.util.Arrays.stream(SessionState.values()).map(Enum::name).toList(), problems);
		Boolean enabled = null;
		if (node.isObject() && node.has("enabled") && !node.get("enabled").isNull()) {
			if (node.get("enabled").isBoolean()) {
				enabled = node.get("enabled").asBoolean();
			}
			else {
				problems.add("field 'enabled' must be true or false.");
			}
		}
		body.throwIfInvalid();
		return new EndpointRequest(url, node.isObject() && node.has("description"), description, eventTypes, states,
				enabled);
	}

	/** An array of known values (duplicates dropped); empty means all. */
	private static @Nullable List<String> strings(JsonNode node, String field, List<String> known,
			List<String> problems) {
		if (!node.isObject() || !node.has(field) || node.get(field).isNull()) {
			return null;
		}
		JsonNode value = node.get(field);
		if (!value.isArray()) {
			problems.add("field '" + field + "' must be an array of: " + String.join(", ", known) + ".");
			return null;
		}
		Set<String> values = new LinkedHashSet<>();
		for (int i = 0; i < value.size(); i++) {
			JsonNode item = value.get(i);
			if (!item.isString() || !known.contains(item.asString())) {
				problems.add("field '" + field + "[" + i + "]' must be one of: " + String.join(", ", known) + ".");
			}
			else {
				values.add(item.asString());
			}
		}
		return new ArrayList<>(values);
	}

}
