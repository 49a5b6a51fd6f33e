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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record10;
import org.jooq.Results;
import org.jooq.Select;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import org.springframework.stereotype.Repository;

/**
 * The SQL of the session aggregate: its row in {@code rv_session} and its events in
 * {@code rv_session_event}.
 * <p>
 * Writes to {@code rv_session} do more than they say: in the same transaction its
 * triggers append the count deltas the feed's exact counts are read from.
 * <ul>
 * <li>Every insert and update statement appends to {@code rv_session_count_delta} (V4,
 * statement triggers over the transition tables): one row per tenant, state and quality
 * whose number of sessions changed, so an update that changes no state or quality adds
 * nothing.</li>
 * <li>Every insert appends to {@code rv_session_facet_delta} (V7, statement trigger): one
 * row per tenant and facet value (reason, device name and creator case-folded; UTC day of
 * creation and of update; whole seconds of duration).</li>
 * <li>An update appends facet deltas only for a row whose facet value changes (V8, row
 * trigger with a {@code WHEN} clause): a new reason, the end that sets the duration, an
 * update on another UTC day. In a transaction that sets {@code rvfeed.facet_deltas} to
 * {@code per_statement}, as a batch does, a statement trigger appends them for the whole
 * update instead (V62).</li>
 * </ul>
 * The row's change position ({@code change_tx}, {@code change_seq}, V2) is set by the
 * statements themselves on update and by column defaults on insert; live streams read it.
 * The feed's compactor folds the deltas away (V4, V7, V9).
 */
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

	/** What the event did to its session (V21); null for events recorded before. */
	static final Field<String> EFFECT = DSL.field(DSL.name("effect"), SQLDataType.CLOB);

	/** The session's state after the event (V21); null for events recorded before. */
	static final Field<String> SESSION_STATE = DSL.field(DSL.name("session_state"), SQLDataType.CLOB);

	/** In the order {@link #toSession} reads them. */
	private static final List<Field<?>> SESSION_COLUMNS = List.of(TENANT_ID, SESSION_ID, DEVICE_ID, DEVICE_NAME,
			DEVICE_ALIAS, DEVICE_STATE, STATE, VIDEO_QUALITY, REASON, CREATED_BY, UPDATED_BY, CREATED_AT, UPDATED_AT,
			STARTED_AT, ENDED_AT);

	private static final Field<?>[] SESSION_FIELDS = SESSION_COLUMNS.toArray(Field<?>[]::new);

	private static final Field<String> CURRENT_TX = DSL.field("pg_current_xact_id()", String.class);

	private static final Field<Long> NEXT_CHANGE = DSL.field("nextval('rv_session_change_seq')", Long.class);

	/** In the order {@link #toEvent} reads them. */
	private static final List<Field<?>> EVENT_COLUMNS = List.of(EVENT_TENANT_ID, EVENT_ID, EVENT_SESSION_ID,
			EVENT_STATE, OCCURRED_AT, RECEIVED_AT, EVENT_REASON, EVENT_UPDATED_BY);

	/** The event columns and the arrival, which orders them. */
	private static final Field<?>[] EVENT_FIELDS = { EVENT_TENANT_ID, EVENT_ID, EVENT_SESSION_ID, EVENT_STATE,
			OCCURRED_AT, RECEIVED_AT, EVENT_REASON, EVENT_UPDATED_BY, ARRIVAL };

	private final DSLContext db;

	SessionRepository(DSLContext db) {
		this.db = db;
	}

	/**
	 * Inserts the session unless its id is taken; answers whether it was inserted. Fires
	 * the count and facet insert triggers (V4, V7).
	 */
	boolean insertSession(SessionRow s) {
		return this.db.insertInto(RV_SESSION)
			.set(TENANT_ID, s.tenantId())
			.set(SESSION_ID, s.sessionId())
			.set(DEVICE_ID, s.deviceId())
			.set(DEVICE_NAME, s.deviceName())
			.set(DEVICE_ALIAS, s.deviceAlias())
			.set(DEVICE_STATE, s.deviceState())
			.set(STATE, s.state().name())
			.set(VIDEO_QUALITY, s.videoQuality().name())
			.set(REASON, s.reason())
			.set(CREATED_BY, s.createdBy())
			.set(UPDATED_BY, s.updatedBy())
			.set(CREATED_AT, s.createdAt())
			.set(UPDATED_AT, s.updatedAt())
			.set(STARTED_AT, s.startedAt())
			.set(ENDED_AT, s.endedAt())
			.set(DEVICE_NAME_LC, SessionTable.fold(s.deviceName()))
			.set(REASON_LC, SessionTable.fold(s.reason()))
			.set(CREATED_BY_LC, SessionTable.fold(s.createdBy()))
			.onConflict(TENANT_ID, SESSION_ID)
			.doNothing()
			.execute() == 1;
	}

	Optional<SessionRow> find(UUID tenantId, UUID sessionId) {
		return this.db.select(SESSION_COLUMNS)
			.from(RV_SESSION)
			.where(TENANT_ID.eq(tenantId).and(SESSION_ID.eq(sessionId)))
			.fetchOptional(SessionRepository::toSession);
	}

	/** The session as the feed shows it. */
	Optional<FeedItem> findItem(UUID tenantId, UUID sessionId) {
		return this.db.select(FeedItems.COLUMNS)
			.from(RV_SESSION)
			.where(TENANT_ID.eq(tenantId).and(SESSION_ID.eq(sessionId)))
			.fetchOptional(FeedItems::toItem);
	}

	/**
	 * Inserts the event, with what it did and the session's state after it, unless its id
	 * is taken; answers whether it was inserted.
	 */
	boolean insertEvent(EventRow e, EventEffect effect, SessionState sessionState) {
		return this.db.insertInto(RV_SESSION_EVENT)
			.set(EFFECT, effect.wire())
			.set(SESSION_STATE, sessionState.name())
			.set(EVENT_TENANT_ID, e.tenantId())
			.set(EVENT_ID, e.eventId())
			.set(EVENT_SESSION_ID, e.sessionId())
			.set(EVENT_STATE, e.state().name())
			.set(OCCURRED_AT, e.occurredAt())
			.set(RECEIVED_AT, e.receivedAt())
			.set(EVENT_REASON, e.reason())
			.set(EVENT_UPDATED_BY, e.updatedBy())
			.onConflict(EVENT_TENANT_ID, EVENT_ID)
			.doNothing()
			.execute() == 1;
	}

	/** The session's timeline: by time, then arrival. */
	List<EventRow> timeline(UUID tenantId, UUID sessionId) {
		return this.db.select(EVENT_COLUMNS)
			.from(RV_SESSION_EVENT)
			.where(EVENT_TENANT_ID.eq(tenantId).and(EVENT_SESSION_ID.eq(sessionId)))
			.orderBy(OCCURRED_AT, ARRIVAL)
			.fetch(SessionRepository::toEvent);
	}

	/**
	 * Locks the sessions that exist (see {@link #lockAll}) and then reads, in arrival
	 * order, every event of theirs and the events with the given ids, whichever session
	 * they belong to. Two statements in one round trip: the second takes its snapshot
	 * once the first holds its locks, so it sees all that earlier holders committed.
	 */
	Locked lock(UUID tenantId, Collection<UUID> sessionIds, Collection<UUID> eventIds) {
		Results results = this.db
			.resultQuery("{0};\n{1}", lockQuery(tenantId, sessionIds), eventsQuery(tenantId, sessionIds, eventIds))
			.fetchMany();
		return new Locked(results.get(0).map(SessionRepository::toSession),
				results.get(1).map(SessionRepository::toEvent));
	}

	/** The sessions locked, and the events read once they were. */
	record Locked(List<SessionRow> sessions, List<EventRow> events) {
	}

	/**
	 * Locks the sessions that exist, in order of their id: transactions that lock several
	 * sessions all do it here, in this one order, so they cannot deadlock.
	 */
	void lockAll(UUID tenantId, Collection<UUID> sessionIds) {
		lockQuery(tenantId, sessionIds).execute();
	}

	private Select<?> lockQuery(UUID tenantId, Collection<UUID> sessionIds) {
		return this.db.select(SESSION_FIELDS)
			.from(RV_SESSION)
			.where(TENANT_ID.eq(tenantId).and(SESSION_ID.eq(DSL.any(UuidArrays.of(sessionIds)))))
			.orderBy(SESSION_ID)
			.forUpdate();
	}

	private Select<?> eventsQuery(UUID tenantId, Collection<UUID> sessionIds, Collection<UUID> eventIds) {
		// each condition on its own, so that each finds its rows through its index
		var events = this.db.select(EVENT_FIELDS)
			.from(RV_SESSION_EVENT)
			.where(EVENT_TENANT_ID.eq(tenantId).and(EVENT_SESSION_ID.eq(DSL.any(UuidArrays.of(sessionIds)))));
		var all = eventIds.isEmpty() ? events
				: events.union(DSL.select(EVENT_FIELDS)
					.from(RV_SESSION_EVENT)
					.where(EVENT_TENANT_ID.eq(tenantId).and(EVENT_ID.eq(DSL.any(UuidArrays.of(eventIds))))));
		return all.orderBy(ARRIVAL);
	}

	/**
	 * Inserts the events in one statement, their arrival in list order, skipping those
	 * whose id is taken; answers how many were inserted.
	 */
	int insertEvents(UUID tenantId, List<EventLedger.Entry> events) {
		return this.db
			.insertInto(RV_SESSION_EVENT, EVENT_TENANT_ID, EVENT_ID, EVENT_SESSION_ID, EVENT_STATE, OCCURRED_AT,
					RECEIVED_AT, EVENT_REASON, EVENT_UPDATED_BY, EFFECT, SESSION_STATE)
			.select(newEvents(tenantId, events))
			.onConflict(EVENT_TENANT_ID, EVENT_ID)
			.doNothing()
			.execute();
	}

	/**
	 * Inserts the event and, if its id was free, sets the session to the outcome, in one
	 * statement; answers the session as the feed now shows it, or empty if the id was
	 * taken. The update fires the count trigger (V4) and, when a facet value changes, the
	 * facet trigger (V8).
	 */
	Optional<FeedItem> insertEventAndApply(EventLedger.Entry entry, SessionLifecycle.Outcome outcome) {
		EventRow event = entry.event();
		var inserted = DSL.name("inserted")
			.as(DSL
				.insertInto(RV_SESSION_EVENT, EVENT_TENANT_ID, EVENT_ID, EVENT_SESSION_ID, EVENT_STATE, OCCURRED_AT,
						RECEIVED_AT, EVENT_REASON, EVENT_UPDATED_BY, EFFECT, SESSION_STATE)
				.values(event.tenantId(), event.eventId(), event.sessionId(), event.state().name(), event.occurredAt(),
						event.receivedAt(), event.reason(), event.updatedBy(), entry.effect().wire(),
						entry.sessionState().name())
				.onConflict(EVENT_TENANT_ID, EVENT_ID)
				.doNothing()
				.returningResult(EVENT_ID));
		return this.db.with(inserted)
			.update(RV_SESSION)
			.set(applied(DSL.val(outcome.state().name(), STATE), DSL.val(outcome.updatedAt(), UPDATED_AT),
					DSL.val(outcome.startedAt(), STARTED_AT), DSL.val(outcome.endedAt(), ENDED_AT),
					DSL.val(outcome.reason(), REASON), DSL.val(SessionTable.fold(outcome.reason()), REASON_LC),
					DSL.val(outcome.updatedBy(), UPDATED_BY)))
			.where(TENANT_ID.eq(event.tenantId()).and(SESSION_ID.eq(event.sessionId())))
			.andExists(DSL.selectOne().from(inserted))
			.returningResult(FeedItems.COLUMNS)
			.fetchOptional(FeedItems::toItem);
	}

	/**
	 * Sets each session to its outcome, in one statement: one run of the count trigger
	 * (V4) and of the facet trigger (V62) for the whole batch.
	 */
	void applyAll(UUID tenantId, Map<UUID, SessionLifecycle.Outcome> outcomes) {
		int n = outcomes.size();
		UUID[] ids = new UUID[n];
		String[] states = new String[n];
		Instant[] updatedAt = new Instant[n];
		Instant[] startedAt = new Instant[n];
		Instant[] endedAt = new Instant[n];
		String[] reasons = new String[n];
		String[] reasonsLc = new String[n];
		String[] updatedBy = new String[n];
		int i = 0;
		for (Map.Entry<UUID, SessionLifecycle.Outcome> entry : outcomes.entrySet()) {
			SessionLifecycle.Outcome outcome = entry.getValue();
			ids[i] = entry.getKey();
			states[i] = outcome.state().name();
			updatedAt[i] = outcome.updatedAt();
			startedAt[i] = outcome.startedAt();
			endedAt[i] = outcome.endedAt();
			reasons[i] = outcome.reason();
			reasonsLc[i] = SessionTable.fold(outcome.reason());
			updatedBy[i] = outcome.updatedBy();
			i++;
		}
		Table<?> values = DSL.table(
				"unnest({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}) as outcome(o_session_id, o_state, o_updated_at, "
						+ "o_started_at, o_ended_at, o_reason, o_reason_lc, o_updated_by)",
				UuidArrays.of(ids), texts(states), instants(updatedAt), instants(startedAt), instants(endedAt),
				texts(reasons), texts(reasonsLc), texts(updatedBy));
		// the facet deltas of the whole update in one statement (V62), not one per
		// session
		this.db.execute("select set_config('rvfeed.facet_deltas', 'per_statement', true)");
		this.db.update(RV_SESSION)
			.set(applied(DSL.field(DSL.name("o_state"), SQLDataType.CLOB),
					DSL.field(DSL.name("o_updated_at"), SQLDataType.INSTANT),
					DSL.field(DSL.name("o_started_at"), SQLDataType.INSTANT),
					DSL.field(DSL.name("o_ended_at"), SQLDataType.INSTANT),
					DSL.field(DSL.name("o_reason"), SQLDataType.CLOB),
					DSL.field(DSL.name("o_reason_lc"), SQLDataType.CLOB),
					DSL.field(DSL.name("o_updated_by"), SQLDataType.CLOB)))
			.from(values)
			// The outcomes drive the join, each finding its row by primary key. With an
			// extra "session_id = any(<ids>)" the prepared statement's generic plan read
			// those rows first and tested every outcome against each: a nested loop of
			// 1,000 x 1,000 for a batch, most of the batch's time in the database.
			.where(TENANT_ID.eq(tenantId))
			.and(SESSION_ID.eq(DSL.field(DSL.name("o_session_id"), SQLDataType.UUID)))
			.execute();
	}

	/**
	 * What applying an outcome sets on the session, from expressions of the outcome's
	 * values; the change position moves too (V2).
	 */
	private static Map<Field<?>, Field<?>> applied(Field<String> state, Field<Instant> updatedAt,
			Field<Instant> startedAt, Field<Instant> endedAt, Field<String> reason, Field<String> reasonLc,
			Field<String> updatedBy) {
		Map<Field<?>, Field<?>> set = new LinkedHashMap<>();
		set.put(STATE, state);
		set.put(UPDATED_AT, updatedAt);
		set.put(STARTED_AT, startedAt);
		set.put(ENDED_AT, endedAt);
		set.put(REASON, reason);
		set.put(REASON_LC, reasonLc);
		set.put(UPDATED_BY, updatedBy);
		set.put(SessionTable.CHANGE_TX, CURRENT_TX);
		set.put(SessionTable.CHANGE_SEQ, NEXT_CHANGE);
		return set;
	}

	/** The events as rows of a select, in list order. */
	private static Select<? extends Record10<UUID, UUID, UUID, String, Instant, Instant, String, String, String, String>> newEvents(
			UUID tenantId, List<EventLedger.Entry> entries) {
		int n = entries.size();
		String[] effects = new String[n];
		String[] sessionStates = new String[n];
		for (int i = 0; i < n; i++) {
			effects[i] = entries.get(i).effect().wire();
			sessionStates[i] = entries.get(i).sessionState().name();
		}
		List<EventRow> events = entries.stream().map(EventLedger.Entry::event).toList();
		UUID[] ids = new UUID[n];
		UUID[] sessionIds = new UUID[n];
		String[] states = new String[n];
		Instant[] occurredAt = new Instant[n];
		Instant[] receivedAt = new Instant[n];
		String[] reasons = new String[n];
		String[] updatedBy = new String[n];
		for (int i = 0; i < n; i++) {
			EventRow e = events.get(i);
			ids[i] = e.eventId();
			sessionIds[i] = e.sessionId();
			states[i] = e.state().name();
			occurredAt[i] = e.occurredAt();
			receivedAt[i] = e.receivedAt();
			reasons[i] = e.reason();
			updatedBy[i] = e.updatedBy();
		}
		Table<?> values = DSL.table(
				"unnest({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}) with ordinality as new_event(n_event_id, "
						+ "n_session_id, n_state, n_occurred_at, n_received_at, n_reason, n_updated_by, n_effect, "
						+ "n_session_state, n_position)",
				UuidArrays.of(ids), UuidArrays.of(sessionIds), texts(states), instants(occurredAt),
				instants(receivedAt), texts(reasons), texts(updatedBy), texts(effects), texts(sessionStates));
		return DSL.select(DSL.val(tenantId), DSL.field(DSL.name("n_event_id"), SQLDataType.UUID),
				DSL.field(DSL.name("n_session_id"), SQLDataType.UUID), DSL.field(DSL.name("n_state"), SQLDataType.CLOB),
				DSL.field(DSL.name("n_occurred_at"), SQLDataType.INSTANT),
				DSL.field(DSL.name("n_received_at"), SQLDataType.INSTANT),
				DSL.field(DSL.name("n_reason"), SQLDataType.CLOB),
				DSL.field(DSL.name("n_updated_by"), SQLDataType.CLOB),
				DSL.field(DSL.name("n_effect"), SQLDataType.CLOB),
				DSL.field(DSL.name("n_session_state"), SQLDataType.CLOB))
			.from(values)
			.orderBy(DSL.field(DSL.name("n_position")));
	}

	private static Field<String[]> texts(String[] values) {
		return DSL.val(values, SQLDataType.CLOB.array());
	}

	private static Field<Instant[]> instants(Instant[] values) {
		return DSL.val(values, SQLDataType.INSTANT.array());
	}

	/**
	 * A row of {@link #SESSION_COLUMNS}, in their order, by position: the batch's locked
	 * rows come back untyped (two statements in one round trip), and copying them into
	 * typed records first was a sixth of a batch's time in the service
	 * (docs/performance.md, V62).
	 */
	private static SessionRow toSession(Record r) {
		return new SessionRow(r.get(0, UUID.class), r.get(1, UUID.class), r.get(2, UUID.class), r.get(3, String.class),
				r.get(4, String.class), r.get(5, Integer.class), SessionState.valueOf(r.get(6, String.class)),
				VideoQuality.valueOf(r.get(7, String.class)), r.get(8, String.class), r.get(9, String.class),
				r.get(10, String.class), r.get(11, Instant.class), r.get(12, Instant.class), r.get(13, Instant.class),
				r.get(14, Instant.class));
	}

	/** A row of {@link #EVENT_COLUMNS} (or more), in their order, by position. */
	private static EventRow toEvent(Record r) {
		return new EventRow(r.get(0, UUID.class), r.get(1, UUID.class), r.get(2, UUID.class),
				SessionState.valueOf(r.get(3, String.class)), r.get(4, Instant.class), r.get(5, Instant.class),
				r.get(6, String.class), r.get(7, String.class));
	}

	public boolean anySessions() {
		return this.db.fetchExists(RV_SESSION);
	}

	/**
	 * Inserts sessions with their events in two batched statements; the first fires the
	 * count and facet insert triggers (V4, V7) once.
	 */
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
