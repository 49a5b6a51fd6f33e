package io.rvfeed.feed;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ISO 8601 durations as the feed's duration filters take them: weeks, days, hours,
 * minutes and seconds with up to 9 fractional digits ({@code PT10M30S}, {@code PT0.5S},
 * {@code P1D}, {@code P1W}). Years and months are refused: their length varies.
 */
final class IsoDurations {

	private static final Pattern DURATION = Pattern.compile(
			"^P(?:(\\d+)Y)?(?:(\\d+)M)?(?:(\\d+)W)?(?:(\\d+)D)?(?:T(?:(\\d+)H)?(?:(\\d+)M)?(?:(\\d+)(?:[.,](\\d{1,9}))?S)?)?$");

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	private IsoDurations() {
	}

	/**
	 * The duration in nanoseconds; an {@link IllegalArgumentException} says what is
	 * wrong.
	 */
	static long parseNanos(String text) {
		String upper = text.toUpperCase(Locale.ROOT);
		Matcher m = DURATION.matcher(upper);
		if (!m.matches() || upper.endsWith("T") || upper.equals("P")) {
			throw new IllegalArgumentException("must be an ISO 8601 duration such as PT10M30S, PT0.5S, P1D or P1W");
		}
		if (m.group(1) != null || m.group(2) != null) {
			throw new IllegalArgumentException(
					"must not use years or months, whose length varies; use weeks (W), days (D) or smaller units");
		}
		try {
			long seconds = 0;
			seconds = Math.addExact(seconds, Math.multiplyExact(number(m.group(3)), 7 * 86_400L));
			seconds = Math.addExact(seconds, Math.multiplyExact(number(m.group(4)), 86_400L));
			seconds = Math.addExact(seconds, Math.multiplyExact(number(m.group(5)), 3_600L));
			seconds = Math.addExact(seconds, Math.multiplyExact(number(m.group(6)), 60L));
			seconds = Math.addExact(seconds, number(m.group(7)));
			long fraction = 0;
			if (m.group(8) != null) {
				String digits = (m.group(8) + "000000000").substring(0, 9);
				fraction = Long.parseLong(digits);
			}
			return Math.addExact(Math.multiplyExact(seconds, NANOS_PER_SECOND), fraction);
		}
		catch (ArithmeticException | NumberFormatException ex) {
			throw new IllegalArgumentException("is too large");
		}
	}

	private static long number(String digits) {
		return (digits != null) ? Long.parseLong(digits) : 0;
	}

}
