package io.rvfeed.feed;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import io.rvfeed.session.SessionState;
import io.rvfeed.session.SessionTable;
import io.rvfeed.session.VideoQuality;
import io.rvfeed.web.ErrorMessages;
import io.rvfeed.web.InvalidRequest;
import io.rvfeed.web.Rfc3339;

/**
 * Reads the feed's query parameters by the contract's rules and collects every problem
 * before failing, so one 400 names everything that is wrong. Unknown parameters are
 * ignored; an empty value counts as absent.
 */
final class FeedQueryParser {

	static final int MAX_SEARCH_LENGTH = 1000;

	static final int MAX_LIST_ITEMS = 50;

	private final Map<String, String[]> parameters;

	private final List<String> problems = new ArrayList<>();

	private FeedQueryParser(Map<String, String[]> parameters) {
		this.parameters = parameters;
	}

	static FeedQuery parse(Map<String, String[]> parameters) {
		return new FeedQueryParser(parameters).parse();
	}

	/**
	 * The same rules, adding every problem to {@code problems} instead of failing, for an
	 * endpoint that reads the feed's filters beside parameters of its own.
	 */
	static @Nullable FeedQuery parseCollecting(Map<String, String[]> parameters, List<String> problems) {
		FeedQueryParser parser = new FeedQueryParser(parameters);
		try {
			return parser.parse();
		}
		catch (InvalidRequest ex) {
			problems.addAll(parser.problems);
			return null;
		}
	}

	private FeedQuery parse() {
		int limit = single("limit").map(this::limit).orElse(FeedQuery.DEFAULT_LIMIT);
		long offset = single("offset").map(this::offset).orElse(0L);
		Set<SessionState> states = enumList("states", SessionState.class);
		Set<VideoQuality> qualities = enumList("video_qualities", VideoQuality.class);
		String reason = single("reason").map((v) -> search("reason", v, MAX_SEARCH_LENGTH)).orElse(null);
		String deviceName = single("device_name").map((v) -> search("device_name", v, 255)).orElse(null);
		String createdBy = single("created_by").map((v) -> search("created_by", v, 255)).orElse(null);
		Bounds<Long> duration = new Bounds<>(durationCeil("duration_lt"), durationFloor("duration_lte"),
				durationFloor("duration_gt"), durationCeil("duration_gte"));
		Bounds<Instant> created = timeBounds("created_at");
		Bounds<Instant> updated = timeBounds("updated_at");
		List<OrderTerm> ordering = single("ordering").map(this::ordering).orElse(List.of(OrderTerm.DEFAULT));
		if (!this.problems.isEmpty()) {
			throw new InvalidRequest(this.problems);
		}
		return new FeedQuery(limit, offset, states, qualities, reason, deviceName, createdBy, duration, created,
				updated, ordering);
	}

	/** The non-empty values given for a parameter. */
	private List<String> values(String name) {
		String[] given = this.parameters.get(name);
		if (given == null) {
			return List.of();
		}
		return Arrays.stream(given).filter((value) -> !value.isEmpty()).toList();
	}

	private Optional<String> single(String name) {
		List<String> values = values(name);
		if (values.size() > 1) {
			this.problems.add(ErrorMessages.givenTwice("Parameter '" + name + "'"));
			return Optional.empty();
		}
		return values.stream().findFirst();
	}

	private Integer limit(String value) {
		Long number = nonNegative("limit", value);
		if (number == null) {
			return FeedQuery.DEFAULT_LIMIT;
		}
		if (number == 0) {
			return FeedQuery.DEFAULT_LIMIT;
		}
		return (int) Math.min(number, FeedQuery.MAX_LIMIT);
	}

	private Long offset(String value) {
		Long number = nonNegative("offset", value);
		return (number != null) ? number : 0L;
	}

	private Long nonNegative(String name, String value) {
		String trimmed = value.strip();
		if (!trimmed.matches("\\+?\\d+")) {
			this.problems.add("Parameter '" + name + "' must be a non-negative integer.");
			return null;
		}
		String digits = trimmed.startsWith("+") ? trimmed.substring(1) : trimmed;
		digits = digits.replaceFirst("^0+(?=\\d)", "");
		if (digits.length() > 18) {
			if (name.equals("limit")) {
				return (long) FeedQuery.MAX_LIMIT;
			}
			this.problems.add("Parameter '" + name + "' is too large.");
			return null;
		}
		return Long.parseLong(digits);
	}

	private <E extends Enum<E>> Set<E> enumList(String name, Class<E> type) {
		Set<E> chosen = EnumSet.noneOf(type);
		List<String> items = values(name).stream()
			.flatMap((value) -> Arrays.stream(value.split(",", -1)))
			.map(String::strip)
			.filter((item) -> !item.isEmpty())
			.toList();
		if (items.size() > MAX_LIST_ITEMS) {
			this.problems.add("Parameter '" + name + "' has more than " + MAX_LIST_ITEMS + " values.");
			return chosen;
		}
		Set<String> unknown = new HashSet<>();
		for (String item : items) {
			try {
				chosen.add(Enum.valueOf(type, item.toUpperCase(Locale.ROOT)));
			}
			catch (IllegalArgumentException ex) {
				unknown.add(item);
			}
		}
		if (!unknown.isEmpty()) {
			String allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
			this.problems.add("Parameter '" + name + "' has an unknown value " + quoted(unknown.iterator().next())
					+ ". Allowed values: " + allowed + ".");
		}
		return chosen;
	}

	private String search(String name, String value, int maxLength) {
		if (value.length() > maxLength) {
			this.problems.add("Parameter '" + name + "' must be at most " + maxLength + " characters.");
			return null;
		}
		if (value.indexOf('\0') >= 0) {
			this.problems.add("Parameter '" + name + "' must not contain NUL characters.");
			return null;
		}
		return SessionTable.fold(value);
	}

	private Long durationFloor(String name) {
		return durationMicros(name, (nanos) -> Math.floorDiv(nanos, 1000L));
	}

	private Long durationCeil(String name) {
		// -floorDiv(-n) is the ceiling without the overflow
		// of (n + 999) near Long.MAX_VALUE
		return durationMicros(name, (nanos) -> -Math.floorDiv(-nanos, 1000L));
	}

	private Long durationMicros(String name, Function<Long, Long> rounding) {
		return single(name).map((value) -> {
			try {
				return rounding.apply(IsoDurations.parseNanos(value.strip()));
			}
			catch (IllegalArgumentException ex) {
				this.problems.add("Parameter '" + name + "' " + ex.getMessage() + ".");
				return null;
			}
		}).orElse(null);
	}

	private Bounds<Instant> timeBounds(String column) {
		return new Bounds<>(time(column + "_lt", Rfc3339::ceilMicros), time(column + "_lte", Rfc3339::floorMicros),
				time(column + "_gt", Rfc3339::floorMicros), time(column + "_gte", Rfc3339::ceilMicros));
	}

	private Instant time(String name, Function<Instant, Instant> rounding) {
		return single(name).map((value) -> {
			try {
				return rounding.apply(Rfc3339.parse(value.strip()));
			}
			catch (IllegalArgumentException ex) {
				this.problems.add("Parameter '" + name + "' " + ex.getMessage() + ".");
				return null;
			}
		}).orElse(null);
	}

	private List<OrderTerm> ordering(String value) {
		List<String> items = Arrays.stream(value.split(",", -1))
			.map(String::strip)
			.filter((i) -> !i.isEmpty())
			.toList();
		if (items.isEmpty()) {
			return List.of(OrderTerm.DEFAULT);
		}
		if (items.size() > SortKey.values().length) {
			this.problems
				.add("Parameter 'ordering' has more keys than there are sort keys (" + SortKey.allowed() + ").");
			return List.of(OrderTerm.DEFAULT);
		}
		List<OrderTerm> terms = new ArrayList<>();
		Set<SortKey> seen = EnumSet.noneOf(SortKey.class);
		for (String item : items) {
			boolean descending = item.startsWith("-");
			String name = descending ? item.substring(1).strip() : item;
			Optional<SortKey> key = SortKey.fromParameter(name);
			if (key.isEmpty()) {
				this.problems.add("Parameter 'ordering' has an unknown key " + quoted(name) + ". Allowed keys: "
						+ SortKey.allowed() + ", each optionally prefixed with '-' for descending order.");
				return List.of(OrderTerm.DEFAULT);
			}
			if (!seen.add(key.get())) {
				this.problems.add("Parameter 'ordering' names '" + name + "' more than once.");
				return List.of(OrderTerm.DEFAULT);
			}
			terms.add(new OrderTerm(key.get(), descending));
		}
		return terms;
	}

	/**
	 * A value quoted for an error message, shortened so a hostile value is not echoed
	 * whole.
	 */
	private static String quoted(String value) {
		String shown = (value.length() > 40) ? value.substring(0, 40) + "..." : value;
		return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
	}

}
