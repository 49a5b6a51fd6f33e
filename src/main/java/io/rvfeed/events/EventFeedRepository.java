package io.rvfeed.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.conf.ParamType;
import org.jooq.conf.SettingsTools;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import org.springframework.stereotype.Repository;

import io.rvfeed.db.ReadDatabase;
import io.rvfeed.session.EventEffect;
import io.rvfeed.session.SessionLifecycle;
import io.rvfeed.session.SessionState;
import io.rvfeed.web.FeedCursor;

/**
 * The events feed's SQL: the tenant's events after a position, in position order
 * ({@code change_tx}, {@code arrival}; V20), taking only events of transactions older
 * than every running one, so whatever commits later comes after the last position read.
 * <p>
 * What each event did and the session's state after it are kept with the event by the
 * write path (V21). Events recorded before V21 have none kept; theirs are derived here by
 * the same rule from the session's events that arrived before it (stages are ordered and
 * a contradicting end is refused, so the state after an event is the highest stage among
 * the session's events up to it; its stage is repeated if an earlier event has it, and
 * earlier if a higher one came first; a session's events arrive under its row lock, so
 * arrival order is the order they were decided in). That lookup runs only for such
 * events.
 */
@Repository
class EventFeedRepository {

	private static final int STREAM_FETCH_SIZE = 1000;

	private static final Field<UUID> TENANT_ID = DSL.field(DSL.name("e", "tenant_id"), SQLDataType.UUID);

	private static final Field<UUID> SESSION_ID = DSL.field(DSL.name("e", "session_id"), SQLDataType.UUID);

	private static final Field<UUID> DEVICE_ID = DSL.field(DSL.name("s", "device_id"), SQLDataType.UUID);

	private static final Field<String> STATE = DSL.field(DSL.name("e", "state"), SQLDataType.CLOB);

	private static final Field<String> UPDATED_BY = DSL.field(DSL.name("e", "updated_by"), SQLDataType.CLOB);

	private static final Field<Instant> OCCURRED_AT = DSL.field(DSL.name("e", "occurred_at"), SQLDataType.INSTANT);

	private static final Field<Instant> RECEIVED_AT = DSL.field(DSL.name("e", "received_at"), SQLDataType.INSTANT);

	/** A state's stage as SQL, from {@link SessionState} so the two cannot disagree. */
	private static final String STAGE = Arrays.stream(SessionState.values())
		.map((state) -> "when '" + state.name() + "' then " + state.stage())
		.collect(Collectors.joining(" ", "case p.state ", " end"));

	private static final String SELECT = """
			select e.event_id, e.session_id, s.device_id, s.device_name, e.state, e.occurred_at, e.received_at,
			       e.reason, e.updated_by, e.change_tx::text as position_tx, e.arrival,
			       e.effect, e.session_state, prior.top_state, prior.repeated
			from rv_session_event e
			join rv_session s on s.tenant_id = e.tenant_id and s.session_id = e.session_id
			cross join lateral (
			  select (array_agg(p.state order by %s desc))[1] as top_state,
			         coalesce(bool_or(p.state = e.state), false) as repeated
			  from rv_session_event p
			  where e.effect is null
			    and p.tenant_id = e.tenant_id and p.session_id = e.session_id and p.arrival < e.arrival) prior
			where {0}
			order by e.change_tx, e.arrival""".formatted(STAGE);

	/**
	 * Renders the statements with their values inlined, as the feed's page query does: a
	 * prepared statement soon runs a generic plan made for an average tenant, which for a
	 * page of the 40,000-session tenant of a 200,000-session dataset joined every session
	 * of the tenant to each event (450 ms instead of 1 ms); and with a {@code session_id}
	 * filter only a plan for that value reads the session's events by their own index.
	 */
	private final DSLContext inlined;

	EventFeedRepository(ReadDatabase read) {
		DSLContext db = read.dsl();
		this.inlined = DSL
			.using(db.configuration().derive(SettingsTools.clone(db.settings()).withParamType(ParamType.INLINED)));
	}

	/** Up to {@code max} matching events after {@code after}. */
	List<EventRecord> page(EventQuery query, FeedCursor after, int max) {
		return this.inlined.resultQuery("{0} limit {1}", select(query, after), DSL.inline(max))
			.fetch((row) -> toRecord(row, after));
	}

	/**
	 * Every matching event after {@code after}, through a server-side cursor so that
	 * memory stays flat. Must run inside a transaction (PostgreSQL only uses a cursor
	 * then).
	 */
	void stream(EventQuery query, FeedCursor after, Consumer<EventRecord> sink) {
		try (Cursor<Record> cursor = select(query, after).fetchSize(STREAM_FETCH_SIZE).fetchLazy()) {
			for (Record row : cursor) {
				sink.accept(toRecord(row, after));
			}
		}
	}

	private ResultQuery<Record> select(EventQuery query, FeedCursor after) {
		return this.inlined.resultQuery(SELECT, DSL.and(conditions(query, after)));
	}

	private static List<Condition> conditions(EventQuery query, FeedCursor after) {
		List<Condition> where = new ArrayList<>();
		where.add(TENANT_ID.eq(after.tenantId()));
		where.add(DSL.condition("(e.change_tx, e.arrival) > ({0}::text::xid8, {1})",
				DSL.val(String.valueOf(after.tx())), DSL.val(after.seq())));
		where.add(DSL.condition("e.change_tx < pg_snapshot_xmin(pg_current_snapshot())"));
		if (query.sessionId() != null) {
			where.add(SESSION_ID.eq(query.sessionId()));
		}
		if (query.deviceId() != null) {
			where.add(DEVICE_ID.eq(query.deviceId()));
		}
		if (!query.states().isEmpty()) {
			where.add(STATE.in(query.states().stream().map(Enum::name).toList()));
		}
		if (query.updatedBy() != null) {
			where.add(UPDATED_BY.eq(query.updatedBy()));
		}
		bounds(where, OCCURRED_AT, query.occurredAt());
		bounds(where, RECEIVED_AT, query.recordedAt());
		return where;
	}

	private static void bounds(List<Condition> where, Field<Instant> column, EventQuery.TimeRange range) {
		if (range.lt() != null) {
			where.add(column.lt(range.lt()));
		}
		if (range.lte() != null) {
			where.add(column.le(range.lte()));
		}
		if (range.gt() != null) {
			where.add(column.gt(range.gt()));
		}
		if (range.gte() != null) {
			where.add(column.ge(range.gte()));
		}
	}

	private static EventRecord toRecord(Record row, FeedCursor after) {
		SessionState state = SessionState.valueOf(row.get("state", String.class));
		String kept = row.get("effect", String.class);
		EventEffect effect;
		SessionState stateAfter;
		if (kept != null) {
			effect = EventEffect.ofWire(kept);
			stateAfter = SessionState.valueOf(row.get("session_state", String.class));
		}
		else {
			String top = row.get("top_state", String.class);
			SessionState reached = (top != null) ? SessionState.valueOf(top) : null;
			effect = SessionLifecycle.effect(reached, Boolean.TRUE.equals(row.get("repeated", Boolean.class)), state);
			stateAfter = SessionLifecycle.stateAfter(reached, state);
		}
		FeedCursor position = new FeedCursor(FeedCursor.Kind.EVENTS, after.tenantId(),
				Long.parseLong(row.get("position_tx", String.class)), row.get("arrival", Long.class));
		return new EventRecord(row.get("event_id", UUID.class), row.get("session_id", UUID.class),
				row.get("device_id", UUID.class), row.get("device_name", String.class), state.name(),
				time(row.get("occurred_at", Instant.class)), time(row.get("received_at", Instant.class)),
				row.get("reason", String.class), row.get("updated_by", String.class), effect.wire(), stateAfter.name(),
				position.encode());
	}

	private static String time(Instant instant) {
		return instant.toString();
	}

}
