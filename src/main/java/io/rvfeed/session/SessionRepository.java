package io.rvfeed.session;

import static io.rvfeed.session.SessionTable.CREATED_AT;
import static io.rvfeed.session.SessionTable.CREATED_BY;
import static io.rvfeed.session.SessionTable.CREATED_BY_LC;
import static io.rvfeed.session.SessionTable.DEVICE_ALIAS;
import static io.rvfeed.session.SessionTable.DEVICE_ID;
import static io.rvfeed.session.SessionTable.DEVICE_NAME;
import static io.rvfeed.session.SessionTable.DEVICE_NAME_LC;
import static io.rvfeed.session.SessionTable.DEVICE_STATE;
import static io.rvfeed.session.SessionTable.ENDED_AT;
import static io.rvfeed.session.SessionTable.REASON;
import static io.rvfeed.session.SessionTable.REASON_LC;
import static io.rvfeed.session.SessionTable.RV_SESSION;
import static io.rvfeed.session.SessionTable.SESSION_ID;
import static io.rvfeed.session.SessionTable.STARTED_AT;
import static io.rvfeed.session.SessionTable.STATE;
import static io.rvfeed.session.SessionTable.TENANT_ID;
import static io.rvfeed.session.SessionTable.UPDATED_AT;
import static io.rvfeed.session.SessionTable.UPDATED_BY;
import static io.rvfeed.session.SessionTable.VIDEO_QUALITY;

import java.time.Instant;
import java.util.Collection;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import org.springframework.stereotype.Repository;

/** The SQL of the session aggregate: its row in {@code rv_session} and its events. */
@Repository
public class SessionRepository {

	static final Table<Record> RV_SESSION_EVENT = DSL.table(DSL.name("rv_session_event"));

	static final Field<UUID> EVENT_TENANT_ID = DSL.field(DSL.name("tenant_id"), SQLDataType.UUID);

	static final Field<UUID> EVENT_ID = DSL.field(DSL.name("event_id"), SQLDataType.UUID);

	static final Field<UUID> EVENT_SESSION_ID = DSL.field(DSL.name("session_id"), SQLDataType.UUID);

	static final Field<Long> ARRIVAL = DSL.field(DSL.name("arrival"), SQLDataType.BIGINT);

	static final Field<String> EVENT_STATE = DSL.field(DSL.name("state"), SQLDataType.CLOB);

	static final Field<Instant> OCCURRED_AT = DSL.field(DSL.name("occurred_at"), SQLDataType.INSTANT);

	static final Field<Instant> RECEIVED_AT = DSL.field(DSL.name("received_at"), SQLDataType.INSTANT);

	static final Field<String> EVENT_REASON = DSL.field(DSL.name("reason"), SQLDataType.CLOB);

	static final Field<String> EVENT_UPDATED_BY = DSL.field(DSL.name("updated_by"), SQLDataType.CLOB);

	private final DSLContext db;

	SessionRepository(DSLContext db) {
		this.db = db;
	}

	public boolean anySessions() {
		return this.db.fetchExists(RV_SESSION);
	}

	/** Inserts sessions with their events in two batched statements. */
	public void insertAll(Collection<SessionRow> sessions, Collection<EventRow> events) {
		if (!sessions.isEmpty()) {
			var insert = this.db.insertInto(RV_SESSION, TENANT_ID, SESSION_ID, DEVICE_ID, DEVICE_NAME, DEVICE_ALIAS,
					DEVICE_STATE, STATE, VIDEO_QUALITY, REASON, CREATED_BY, UPDATED_BY, CREATED_AT, UPDATED_AT,
					STARTED_AT, ENDED_AT, DEVICE_NAME_LC, REASON_LC, CREATED_BY_LC);
			for (SessionRow s : sessions) {
				insert = insert.values(s.tenantId(), s.sessionId(), s.deviceId(), s.deviceName(), s.deviceAlias(),
						s.deviceState(), s.state().name(), s.videoQuality().name(), s.reason(), s.createdBy(),
						s.updatedBy(), s.createdAt(), s.updatedAt(), s.startedAt(), s.endedAt(),
						SessionTable.fold(s.deviceName()), SessionTable.fold(s.reason()),
						SessionTable.fold(s.createdBy()));
			}
			insert.execute();
		}
		if (!events.isEmpty()) {
			var insert = this.db.insertInto(RV_SESSION_EVENT, EVENT_TENANT_ID, EVENT_ID, EVENT_SESSION_ID, EVENT_STATE,
					OCCURRED_AT, RECEIVED_AT, EVENT_REASON, EVENT_UPDATED_BY);
			for (EventRow e : events) {
				insert = insert.values(e.tenantId(), e.eventId(), e.sessionId(), e.state().name(), e.occurredAt(),
						e.receivedAt(), e.reason(), e.updatedBy());
			}
			insert.execute();
		}
	}

}
