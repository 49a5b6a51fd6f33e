package io.rvfeed.web;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 3339 timestamps with {@code Z} or an offset and up to 9 fractional digits, or a
 * bare {@code YYYY-MM-DD} meaning midnight UTC. A space where the offset's sign belongs
 * is read as {@code +}: that is what an unencoded {@code +} in a query string turns into.
 */
public final class Rfc3339 {

	private static final Pattern TIMESTAMP = Pattern.compile("^(\\d{4})-(\\d{2})-(\\d{2})"
			+ "(?:[Tt](\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?(?:([Zz])|([+\\- ])(\\d{2}):(\\d{2})))?$");

	private Rfc3339() {
	}

	/** The instant; an {@link IllegalArgumentException} says what is wrong. */
	public static Instant parse(String text) {
		Matcher m = TIMESTAMP.matcher(text);
		if (!m.matches()) {
			throw new IllegalArgumentException(
					"must be an RFC 3339 timestamp such as 2023-10-01T12:00:00Z or 2023-10-01T12:00:00.123456+02:00, or a date such as 2023-10-01");
		}
		try {
			LocalDate date = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
					Integer.parseInt(m.group(3)));
			if (m.group(4) == null) {
				return date.atStartOfDay().toInstant(ZoneOffset.UTC);
			}
			int nanos = (m.group(7) != null) ? Integer.parseInt((m.group(7) + "000000000").substring(0, 9)) : 0;
			LocalTime time = LocalTime.of(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
					Integer.parseInt(m.group(6)), nanos);
			ZoneOffset offset = ZoneOffset.UTC;
			if (m.group(8) == null) {
				int hours = Integer.parseInt(m.group(10));
				int minutes = Integer.parseInt(m.group(11));
				if (minutes > 59) {
					throw new DateTimeException("offset minutes out of range");
				}
				offset = ZoneOffset.ofHoursMinutes(m.group(9).equals("-") ? -hours : hours,
						m.group(9).equals("-") ? -minutes : minutes);
			}
			return OffsetDateTime.of(date, time, offset).toInstant();
		}
		catch (DateTimeException ex) {
			throw new IllegalArgumentException("is not a valid date and time (a field is out of range)");
		}
	}

	/** The latest whole microsecond at or before the instant. */
	public static Instant floorMicros(Instant instant) {
		return instant.minusNanos(instant.getNano() % 1000);
	}

	/** The earliest whole microsecond at or after the instant. */
	public static Instant ceilMicros(Instant instant) {
		Instant floor = floorMicros(instant);
		return floor.equals(instant) ? floor : floor.plusNanos(1000);
	}

}
