package io.rvfeed.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

import io.rvfeed.web.Rfc3339;
import io.rvfeed.session.SessionState;
import io.rvfeed.web.CursorPages;
import io.rvfeed.web.InvalidRequest;

/**
 * A request of the events feed or its export, read by the feed's rules: every problem is
 * collected so that one 400 names all, unknown parameters are ignored, an empty value
 * counts as absent.
 */
record EventRequest(int limit, @Nullable String cursor, @Nullable Instant since, EventQuery query) {

	static final int MAX_LIST_ITEMS = 50;

	static final int MAX_TEXT_LENGTH = 255;

	/**
	 * @param problems problems the caller found already (such as its own parameters),
	 * reported together with these
	 */
	static EventRequest parse(Map<String, String[]> parameters, List<String> problems) {
		return new Parser(parameters, problems).parse();
	}

	private static final class Parser {

		private final Map<String, String[]> parameters;

		private final List<String> problems;

		Parser(Map<String, String[]> parameters, List<String> problems) {
			this.parameters = parameters;
			this.problems = new ArrayList<>(problems);
		}

		EventRequest parse() {
			int limit = CursorPages.limit(this.parameters, this.problems);
			CursorPages.refuse(this.parameters, this.problems, "ordering", "offset");
			String cursor = single("cursor");
			Instant since = time("since", UnaryOperator.identity());
			if (cursor != null && since != null) {
				this.problems.add("Parameters 'cursor' and 'since' cannot be given together: since starts a "
						+ "reading, cursor goes on with one.");
			}
			UUID sessionId = uuid("session_id");
			UUID deviceId = uuid("device_id");
			Set<SessionState> states = states();
			String updatedBy = text("updated_by");
			EventQuery.TimeRange occurred = range("occurred_at");
			EventQuery.TimeRange recorded = range("recorded_at");
			if (!this.problems.isEmpty()) {
				throw new InvalidRequest(this.problems);
			}
			return new EventRequest(limit, cursor, (since != null) ? since.truncatedTo(ChronoUnit.MICROS) : null,
					new EventQuery(sessionId, deviceId, states, updatedBy, occurred, recorded));
		}

		private @Nullable String single(String name) {
			return CursorPages.single(this.parameters, name, this.problems);
		}

		private @Nullable UUID uuid(String name) {
			String value = single(name);
			if (value == null) {
				return null;
			}
			try {
				if (value.strip().length() == 36) {
					return UUID.fromString(value.strip());
				}
			}
			catch (IllegalArgumentException ex) {
				// reported below
			}
			this.problems.add("Parameter '" + name + "' must be a UUID.");
			return null;
		}

		private Set<SessionState> states() {
			Set<SessionState> chosen = EnumSet.noneOf(SessionState.class);
			String[] given = this.parameters.getOrDefault("states", new String[0]);
			List<String> items = Arrays.stream(given)
				.flatMap((value) -> Arrays.stream(value.split(",", -1)))
				.map(String::strip)
				.filter((item) -> !item.isEmpty())
				.toList();
			if (items.size() > MAX_LIST_ITEMS) {
				this.problems.add("Parameter 'states' has more than " + MAX_LIST_ITEMS + " values.");
				return chosen;
			}
			for (String item : items) {
				try {
					chosen.add(SessionState.valueOf(item.toUpperCase(Locale.ROOT)));
				}
				catch (IllegalArgumentException ex) {
					String shown = (item.length() > 40) ? item.substring(0, 40) + "..." : item;
					this.problems.add("Parameter 'states' has an unknown value '" + shown.replaceAll("\\p{Cntrl}", "?")
							+ "'. Allowed values: INITIATED, ACKNOWLEDGED, ACTIVE, TERMINATED, FAILED.");
					return chosen;
				}
			}
			return chosen;
		}

		private @Nullable String text(String name) {
			String value = single(name);
			if (value == null) {
				return null;
			}
			if (value.length() > MAX_TEXT_LENGTH) {
				this.problems.add("Parameter '" + name + "' must be at most " + MAX_TEXT_LENGTH + " characters.");
				return null;
			}
			if (value.indexOf('\0') >= 0) {
				this.problems.add("Parameter '" + name + "' must not contain NUL characters.");
				return null;
			}
			return value;
		}

		/**
		 * Bounds finer than the stored microseconds are rounded so that the comparison
		 * stays exact: {@code _lt} and {@code _gte} up, {@code _lte} and {@code _gt}
		 * down.
		 */
		private EventQuery.TimeRange range(String column) {
			return new EventQuery.TimeRange(time(column + "_lt", Parser::ceilMicros),
					time(column + "_lte", Parser::floorMicros), time(column + "_gt", Parser::floorMicros),
					time(column + "_gte", Parser::ceilMicros));
		}

		private @Nullable Instant time(String name, UnaryOperator<Instant> rounding) {
			String value = single(name);
			if (value == null) {
				return null;
			}
			try {
				return rounding.apply(Rfc3339.parse(value.strip()));
			}
			catch (IllegalArgumentException ex) {
				this.problems.add("Parameter '" + name + "' " + ex.getMessage() + ".");
				return null;
			}
		}

		private static Instant floorMicros(Instant instant) {
			return instant.truncatedTo(ChronoUnit.MICROS);
		}

		private static Instant ceilMicros(Instant instant) {
			Instant floor = floorMicros(instant);
			return floor.equals(instant) ? floor : floor.plus(1, ChronoUnit.MICROS);
		}

	}

}
