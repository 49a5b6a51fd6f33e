package io.rvfeed.session;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/** The {@code rv_session} table, as jOOQ sees it. See V1 for what each column holds. */
public final class SessionTable {

	public static final Table<Record> RV_SESSION = DSL.table(DSL.name("rv_session"));

	public static final Field<UUID> TENANT_ID = field("tenant_id", SQLDataType.UUID);

	public static final Field<UUID> SESSION_ID = field("session_id", SQLDataType.UUID);

	public static final Field<UUID> DEVICE_ID = field("device_id", SQLDataType.UUID);

	public static final Field<String> DEVICE_NAME = field("device_name", SQLDataType.CLOB);

	public static final Field<String> DEVICE_ALIAS = field("device_alias", SQLDataType.CLOB);

	public static final Field<Integer> DEVICE_STATE = field("device_state", SQLDataType.INTEGER);

	public static final Field<String> STATE = field("state", SQLDataType.CLOB);

	public static final Field<String> VIDEO_QUALITY = field("video_quality", SQLDataType.CLOB);

	public static final Field<String> REASON = field("reason", SQLDataType.CLOB);

	public static final Field<String> CREATED_BY = field("created_by", SQLDataType.CLOB);

	public static final Field<String> UPDATED_BY = field("updated_by", SQLDataType.CLOB);

	public static final Field<Instant> CREATED_AT = field("created_at", SQLDataType.INSTANT);

	public static final Field<Instant> UPDATED_AT = field("updated_at", SQLDataType.INSTANT);

	public static final Field<Instant> STARTED_AT = field("started_at", SQLDataType.INSTANT);

	public static final Field<Instant> ENDED_AT = field("ended_at", SQLDataType.INSTANT);

	public static final Field<String> DEVICE_NAME_LC = field("device_name_lc", SQLDataType.CLOB);

	public static final Field<String> REASON_LC = field("reason_lc", SQLDataType.CLOB);

	public static final Field<String> CREATED_BY_LC = field("created_by_lc", SQLDataType.CLOB);

	public static final Field<Long> DURATION_US = field("duration_us", SQLDataType.BIGINT);

	/** The transaction (xid8) of the session's latest change; see V2. */
	public static final Field<String> CHANGE_TX = field("change_tx", SQLDataType.VARCHAR);

	public static final Field<Long> CHANGE_SEQ = field("change_seq", SQLDataType.BIGINT);

	private SessionTable() {
	}

	/**
	 * The case-folded form kept in the {@code *_lc} columns and used for searching and
	 * ordering: Unicode lower case, the same whatever the database's locale.
	 */
	public static String fold(String text) {
		return (text != null) ? text.toLowerCase(Locale.ROOT) : null;
	}

	private static <T> Field<T> field(String name, org.jooq.DataType<T> type) {
		return DSL.field(DSL.name(name), type);
	}

}
