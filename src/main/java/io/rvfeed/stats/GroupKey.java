package io.rvfeed.stats;

import static io.rvfeed.session.SessionTable.CREATED_AT;
import static io.rvfeed.session.SessionTable.CREATED_BY;
import static io.rvfeed.session.SessionTable.DEVICE_ID;
import static io.rvfeed.session.SessionTable.DEVICE_NAME;
import static io.rvfeed.session.SessionTable.REASON;
import static io.rvfeed.session.SessionTable.STATE;
import static io.rvfeed.session.SessionTable.VIDEO_QUALITY;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

/**
 * What {@code group_by} may name. Text keys group by the value as stored (not
 * case-folded) and order in code-point order; time keys are the start of the session's
 * {@code created_at} hour, day, ISO week (Monday) or month in the request's zone.
 */
enum GroupKey {

	STATE_KEY("state", null), VIDEO_QUALITY_KEY("video_quality", null), REASON_KEY("reason", null),
	CREATED_BY_KEY("created_by", null), DEVICE_NAME_KEY("device_name", null), DEVICE_ID_KEY("device_id", null),
	HOUR("hour", "hour"), DAY("day", "day"), WEEK("week", "week"), MONTH("month", "month");

	private final String parameter;

	private final @Nullable String truncation;

	GroupKey(String parameter, @Nullable String truncation) {
		this.parameter = parameter;
		this.truncation = truncation;
	}

	String parameter() {
		return this.parameter;
	}

	boolean isTime() {
		return this.truncation != null;
	}

	/**
	 * The key's value of a row. A time bucket is {@code date_trunc} with the zone, which
	 * truncates the local time and maps it back to an instant, so a day across a DST
	 * change is 23 or 25 hours long and starts at local midnight.
	 */
	Field<?> expression(ZoneId zone) {
		return switch (this) {
			case STATE_KEY -> STATE;
			case VIDEO_QUALITY_KEY -> VIDEO_QUALITY;
			case REASON_KEY -> REASON;
			case CREATED_BY_KEY -> CREATED_BY;
			case DEVICE_NAME_KEY -> DEVICE_NAME;
			case DEVICE_ID_KEY -> DEVICE_ID;
			default -> DSL.field("date_trunc({0}, {1}, {2})", SQLDataType.INSTANT, DSL.inline(this.truncation),
					CREATED_AT, DSL.inline(zone.getId()));
		};
	}

	boolean isText() {
		return !isTime() && this != DEVICE_ID_KEY;
	}

	/**
	 * The value as the answer shows it: a time bucket as RFC 3339 with the zone's offset.
	 */
	@Nullable Object toJson(@Nullable Object value, ZoneId zone) {
		if (value == null) {
			return null;
		}
		if (value instanceof Instant instant) {
			return OffsetDateTime.ofInstant(instant, zone).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
		}
		if (value instanceof Timestamp time) {
			return toJson(time.toInstant(), zone);
		}
		if (value instanceof OffsetDateTime time) {
			return time.atZoneSameInstant(zone).toOffsetDateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
		}
		return value.toString();
	}

	static Optional<GroupKey> fromParameter(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		return Arrays.stream(values()).filter((key) -> key.parameter.equals(lower)).findFirst();
	}

	static String allowed() {
		return Arrays.stream(values()).map(GroupKey::parameter).collect(Collectors.joining(", "));
	}

}
