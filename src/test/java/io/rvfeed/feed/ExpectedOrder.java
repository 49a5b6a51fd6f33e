package io.rvfeed.feed;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

import io.rvfeed.session.SessionRow;
import io.rvfeed.support.SessionFixtures;

/**
 * The contract's order, computed in the test independently of the service's SQL: text by
 * its lower-cased value and then its exact value, both by code point; NULLs last in both
 * directions; ties by {@code -created_at} (unless requested) and then {@code session_id}
 * ascending as PostgreSQL orders UUIDs (unsigned bytes, i.e. their lower-case text).
 */
final class ExpectedOrder {

	private ExpectedOrder() {
	}

	/** The ids of the rows in the order the {@code ordering} parameter asks for. */
	static List<UUID> of(List<SessionRow> rows, String ordering) {
		return rows.stream().sorted(comparator(ordering)).map(SessionRow::sessionId).toList();
	}

	static Comparator<SessionRow> comparator(String ordering) {
		List<Comparator<SessionRow>> terms = new ArrayList<>();
		boolean createdAtRequested = false;
		for (String item : ordering.split(",")) {
			boolean descending = item.startsWith("-");
			String key = descending ? item.substring(1) : item;
			createdAtRequested |= key.equals("created_at");
			switch (key) {
				case "created_at" -> terms.add(nullsLast(SessionRow::createdAt, Instant::compareTo, descending));
				case "updated_at" -> terms.add(nullsLast(SessionRow::updatedAt, Instant::compareTo, descending));
				case "duration" -> terms.add(nullsLast(SessionFixtures::durationMicros, Long::compareTo, descending));
				case "device_name" -> terms.addAll(text(SessionRow::deviceName, descending));
				case "reason" -> terms.addAll(text(SessionRow::reason, descending));
				case "created_by" -> terms.addAll(text(SessionRow::createdBy, descending));
				case "state" -> terms.addAll(text((row) -> row.state().name(), descending));
				case "video_quality" -> terms.addAll(text((row) -> row.videoQuality().name(), descending));
				default -> throw new IllegalArgumentException(key);
			}
		}
		if (!createdAtRequested) {
			terms.add(nullsLast(SessionRow::createdAt, Instant::compareTo, true));
		}
		terms.add(nullsLast((row) -> row.sessionId().toString(), ExpectedOrder::compareCodePoints, false));
		return terms.stream().reduce(Comparator::thenComparing).orElseThrow();
	}

	private static List<Comparator<SessionRow>> text(Function<SessionRow, String> value, boolean descending) {
		return List.of(nullsLast((row) -> fold(value.apply(row)), ExpectedOrder::compareCodePoints, descending),
				nullsLast(value, ExpectedOrder::compareCodePoints, descending));
	}

	private static <T> Comparator<SessionRow> nullsLast(Function<SessionRow, T> value, Comparator<T> order,
			boolean descending) {
		return (a, b) -> {
			T x = value.apply(a);
			T y = value.apply(b);
			if (x == null || y == null) {
				return (x == null) ? ((y == null) ? 0 : 1) : -1;
			}
			int c = order.compare(x, y);
			return descending ? -c : c;
		};
	}

	static String fold(String text) {
		return (text != null) ? text.toLowerCase(Locale.ROOT) : null;
	}

	/** Code-point order (not {@link String#compareTo}, which compares UTF-16 units). */
	static int compareCodePoints(String a, String b) {
		return Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
	}

}
