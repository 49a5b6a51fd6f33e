package io.rvfeed.session;

import static io.rvfeed.session.SessionTable.CREATED_AT;
import static io.rvfeed.session.SessionTable.CREATED_BY;
import static io.rvfeed.session.SessionTable.DEVICE_ALIAS;
import static io.rvfeed.session.SessionTable.DEVICE_ID;
import static io.rvfeed.session.SessionTable.DEVICE_NAME;
import static io.rvfeed.session.SessionTable.DEVICE_STATE;
import static io.rvfeed.session.SessionTable.DURATION_US;
import static io.rvfeed.session.SessionTable.ENDED_AT;
import static io.rvfeed.session.SessionTable.REASON;
import static io.rvfeed.session.SessionTable.SESSION_ID;
import static io.rvfeed.session.SessionTable.STARTED_AT;
import static io.rvfeed.session.SessionTable.STATE;
import static io.rvfeed.session.SessionTable.UPDATED_AT;
import static io.rvfeed.session.SessionTable.UPDATED_BY;
import static io.rvfeed.session.SessionTable.VIDEO_QUALITY;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.jooq.Record;
import org.jooq.SelectField;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@link FeedItem}s from {@code rv_session}: the columns to select and the mapping
 * of a row, shared by the write API's answers and the feed's reads.
 */
public final class FeedItems {

	/** The columns a {@link FeedItem} is made of, in the order of its components. */
	public static final List<SelectField<?>> COLUMNS = List.of(SESSION_ID, DEVICE_ID, DEVICE_NAME, DEVICE_ALIAS,
			DEVICE_STATE, STATE, VIDEO_QUALITY, REASON, DURATION_US, CREATED_BY, UPDATED_BY, CREATED_AT, UPDATED_AT,
			STARTED_AT, ENDED_AT);

	private FeedItems() {
	}

	/** The item of a row that has at least the {@link #COLUMNS}. */
	public static FeedItem toItem(Record row) {
		Long micros = row.get(DURATION_US);
		return new FeedItem(row.get(SESSION_ID), row.get(DEVICE_ID), row.get(DEVICE_NAME), row.get(DEVICE_ALIAS),
				row.get(DEVICE_STATE), row.get(STATE), row.get(VIDEO_QUALITY), row.get(REASON),
				(micros != null) ? Duration.of(micros, ChronoUnit.MICROS).toString() : null, row.get(CREATED_BY),
				row.get(UPDATED_BY), time(row.get(CREATED_AT)), time(row.get(UPDATED_AT)), time(row.get(STARTED_AT)),
				time(row.get(ENDED_AT)));
	}

	/**
	 * The item of a JDBC row whose {@link #COLUMNS} start at {@code first} (1-based),
	 * read straight from the result set: the feed's hot path, without a jOOQ record per
	 * row.
	 */
	public static FeedItem toItem(ResultSet row, int first) throws SQLException {
		int column = first;
		UUID sessionId = row.getObject(column++, UUID.class);
		UUID deviceId = row.getObject(column++, UUID.class);
		String deviceName = row.getString(column++);
		String deviceAlias = row.getString(column++);
		int deviceState = row.getInt(column++);
		Integer state = row.wasNull() ? null : deviceState;
		String sessionState = row.getString(column++);
		String videoQuality = row.getString(column++);
		String reason = row.getString(column++);
		long micros = row.getLong(column++);
		String duration = row.wasNull() ? null : Duration.of(micros, ChronoUnit.MICROS).toString();
		String createdBy = row.getString(column++);
		String updatedBy = row.getString(column++);
		return new FeedItem(sessionId, deviceId, deviceName, deviceAlias, state, sessionState, videoQuality, reason,
				duration, createdBy, updatedBy, time(row, column++), time(row, column++), time(row, column++),
				time(row, column));
	}

	private static @Nullable String time(ResultSet row, int column) throws SQLException {
		OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
		return (time != null) ? time.toInstant().toString() : null;
	}

	private static @Nullable String time(@Nullable Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

}
