package io.rvfeed.stats;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import io.rvfeed.feed.FeedFilters;
import io.rvfeed.web.ErrorMessages;
import io.rvfeed.web.InvalidRequest;

/**
 * Reads a statistics request: the feed's filters by the feed's rules, then
 * {@code group_by}, {@code tz} and {@code limit}; one 400 lists every problem. Unknown
 * parameters are ignored and an empty value counts as absent, as in the feed.
 */
final class StatsQueryParser {

	static final ZoneId UTC = ZoneId.of("UTC");

	/**
	 * Region zone ids by their lower-case form: {@code tz} is matched case-insensitively.
	 */
	private static final Map<String, String> ZONES = zones();

	private final Map<String, String[]> parameters;

	private final List<String> problems = new ArrayList<>();

	private StatsQueryParser(Map<String, String[]> parameters) {
		this.parameters = parameters;
	}

	static StatsQuery parse(Map<String, String[]> parameters) {
		return new StatsQueryParser(parameters).parse();
	}

	private StatsQuery parse() {
		FeedFilters filters = FeedFilters.parse(this.parameters, this.problems);
		List<GroupKey> groupBy = groupBy();
		ZoneId zone = single("tz").map(this::zone).orElse(UTC);
		int limit = single("limit").map(this::limit).orElse(StatsQuery.DEFAULT_LIMIT);
		if (!this.problems.isEmpty() || filters == null) {
			throw new InvalidRequest(this.problems);
		}
		return new StatsQuery(filters, groupBy, zone, limit);
	}

	private List<String> values(String name) {
		String[] given = this.parameters.get(name);
		return (given != null) ? Arrays.stream(given).filter((value) -> !value.isEmpty()).toList() : List.of();
	}

	private Optional<String> single(String name) {
		List<String> values = values(name);
		if (values.size() > 1) {
			this.problems.add(ErrorMessages.givenTwice("Parameter '" + name + "'"));
			return Optional.empty();
		}
		return values.stream().findFirst();
	}

	/** Comma-separated; repeating the parameter adds keys, as the feed's lists do. */
	private List<GroupKey> groupBy() {
		List<String> items = values("group_by").stream()
			.flatMap((value) -> Arrays.stream(value.split(",", -1)))
			.map(String::strip)
			.filter((item) -> !item.isEmpty())
			.toList();
		List<GroupKey> keys = new ArrayList<>();
		for (String item : items) {
			Optional<GroupKey> key = GroupKey.fromParameter(item);
			if (key.isEmpty()) {
				this.problems.add("Parameter 'group_by' has an unknown key " + quoted(item) + ". Allowed keys: "
						+ GroupKey.allowed() + ".");
			}
			else if (keys.contains(key.get())) {
				this.problems.add("Parameter 'group_by' names '" + key.get().parameter() + "' more than once.");
			}
			else {
				keys.add(key.get());
			}
		}
		if (items.size() > StatsQuery.MAX_KEYS) {
			this.problems
				.add("Parameter 'group_by' takes at most " + StatsQuery.MAX_KEYS + " keys, not " + items.size() + ".");
		}
		return keys;
	}

	private @Nullable ZoneId zone(String value) {
		String id = ZONES.get(value.strip().toLowerCase(Locale.ROOT));
		if (id == null) {
			this.problems.add("Parameter 'tz' must be an IANA time zone such as 'Europe/Berlin' or 'UTC', not "
					+ quoted(value) + ".");
			return null;
		}
		return ZoneId.of(id);
	}

	private int limit(String value) {
		String trimmed = value.strip();
		if (!trimmed.matches("\\+?\\d+")) {
			this.problems.add("Parameter 'limit' must be a non-negative integer.");
			return StatsQuery.DEFAULT_LIMIT;
		}
		String digits = trimmed.replaceFirst("^\\+", "").replaceFirst("^0+(?=\\d)", "");
		if (digits.length() > 9) {
			return StatsQuery.MAX_LIMIT;
		}
		int number = Integer.parseInt(digits);
		if (number == 0) {
			return StatsQuery.DEFAULT_LIMIT;
		}
		return Math.min(number, StatsQuery.MAX_LIMIT);
	}

	private static Map<String, String> zones() {
		Map<String, String> zones = new TreeMap<>();
		for (String id : ZoneId.getAvailableZoneIds()) {
			// region ids only: PostgreSQL reads a bare offset such as +02:00 as POSIX,
			// the
			// other way round
			if (id.contains("/") || id.equals("UTC") || id.equals("GMT")) {
				zones.put(id.toLowerCase(Locale.ROOT), id);
			}
		}
		return zones;
	}

	private static String quoted(String value) {
		String shown = (value.length() > 40) ? value.substring(0, 40) + "..." : value;
		return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
	}

}
