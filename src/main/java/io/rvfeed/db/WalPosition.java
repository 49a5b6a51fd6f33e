package io.rvfeed.db;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A position in PostgreSQL's write-ahead log (an LSN), as PostgreSQL writes it:
 * {@code 16/B374D848}, two hexadecimal halves of a 64-bit number. The service's
 * consistency tokens are such positions.
 */
public record WalPosition(long value) implements Comparable<WalPosition> {

	private static final Pattern TEXT = Pattern.compile("([0-9A-Fa-f]{1,8})/([0-9A-Fa-f]{1,8})");

	/** The position written as PostgreSQL writes it, or empty if it is not one. */
	public static Optional<WalPosition> parse(String text) {
		Matcher matcher = TEXT.matcher(text.strip());
		if (!matcher.matches()) {
			return Optional.empty();
		}
		return Optional
			.of(new WalPosition((Long.parseLong(matcher.group(1), 16) << 32) | Long.parseLong(matcher.group(2), 16)));
	}

	@Override
	public int compareTo(WalPosition other) {
		return Long.compareUnsigned(this.value, other.value);
	}

	public boolean isBefore(WalPosition other) {
		return compareTo(other) < 0;
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT, "%X/%X", this.value >>> 32, this.value & 0xFFFFFFFFL);
	}

}
