package io.rvfeed.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Repository;

/**
 * The SQL of the outbox ({@code webhook_outbox}, V65), the delivery log of messages
 * ({@code webhook_message}) and the attempts ({@code webhook_attempt}, V30). The trigger
 * of V65 writes each statement's messages as one outbox row, in the transaction of their
 * events; here the rows are unpacked into the log, and messages claimed, sent, logged,
 * retried and replayed.
 */
@Repository
class MessageRepository {

	private static final String COLUMNS = """
			m.tenant_id, m.message_id, m.endpoint_id, m.event_id, m.session_id, m.event_type,
			m.change_tx::text as change_tx, m.arrival, m.created_at, m.payload, m.status, m.attempts,
			m.next_attempt_at, m.last_attempt_at, m.delivered_at""";

	private final DSLContext db;

	MessageRepository(DSLContext db) {
		this.db = db;
	}

	/** An endpoint with messages due. */
	record Due(UUID tenantId, UUID endpointId) {
	}

	/**
	 * An outbox row's messages, written into the log: the ids made as V64 made them (the
	 * row's millisecond and random bits, each message's place as counter), the log's time
	 * the row's, and due since then, so that a backlog is sent in the order of its
	 * writes. An event no longer kept (erased, or past retention) gets no message; an
	 * event with one already (a replay came first) keeps it.
	 */
	private static final String UNPACK = """
			taken as (
			    delete from webhook_outbox o using picked p
			    where o.tenant_id = p.tenant_id and o.endpoint_id = p.endpoint_id and o.batch_id = p.batch_id
			    returning o.tenant_id, o.endpoint_id, o.batch_id, o.created_at, o.id_millis, o.id_random, o.change_tx,
			        o.arrivals),
			unpacked as (
			    insert into webhook_message (tenant_id, message_id, endpoint_id, event_id, session_id, event_type,
			        change_tx, arrival, created_at, next_attempt_at)
			    select t.tenant_id,
			           (substr(h.hex, 1, 8) || '-' || substr(h.hex, 9, 4) || '-7' || substr(h.hex, 13, 3)
			               || t.id_random)::uuid,
			           t.endpoint_id, e.event_id, e.session_id, """ + EventTypes.sqlOf("e.session_state") + """
			           , e.change_tx, e.arrival, t.created_at, t.created_at
			    from taken t
			    cross join lateral unnest(t.arrivals) with ordinality as a(arrival, place)
			    cross join lateral (select lpad(to_hex(t.id_millis * 4096 + a.place - 1), 15, '0') as hex) h
			    join rv_session_event e
			      on e.tenant_id = t.tenant_id and e.change_tx = t.change_tx and e.arrival = a.arrival
			    order by t.batch_id, a.place
			    on conflict (tenant_id, endpoint_id, event_id) do nothing
			    returning 1)
			select (select count(*) from taken)::int, (select count(*) from unpacked)::int""";

	/**
	 * Outbox rows one statement unpacks: up to about 20,000 messages (a row holds the
	 * messages of one insert statement, at most 1,000 events).
	 */
	static final int UNPACK_ROWS = 20;

	/** Outbox rows unpacked, and the messages they became. */
	record Unpacked(int rows, int messages) {
	}

	/**
	 * Unpacks up to {@code max} rows of the outbox, oldest first, over all tenants; rows
	 * another instance is unpacking are skipped, never waited for.
	 */
	Unpacked unpackAny(int max) {
		return unpacked(this.db.fetchOne("""
				with picked as (
				    select tenant_id, endpoint_id, batch_id from webhook_outbox
				    order by batch_id
				    limit ?
				    for update skip locked),
				""" + UNPACK, max));
	}

	/**
	 * Unpacks up to {@code max} rows of one endpoint, oldest first. With {@code wait},
	 * rows another transaction is unpacking are waited for, so that what follows in this
	 * transaction sees their messages; otherwise they are skipped.
	 */
	Unpacked unpack(UUID tenantId, UUID endpointId, int max, boolean wait) {
		return unpacked(this.db.fetchOne("""
				with picked as (
				    select tenant_id, endpoint_id, batch_id from webhook_outbox
				    where tenant_id = ? and endpoint_id = ?
				    order by batch_id
				    limit ?
				    for update""" + (wait ? "" : " skip locked") + "),\n" + UNPACK, tenantId, endpointId, max));
	}

	/**
	 * Unpacks every row of one endpoint, waiting for those another transaction is
	 * unpacking: what this transaction reads next shows all of the endpoint's messages.
	 */
	void unpackAll(UUID tenantId, UUID endpointId) {
		while (unpack(tenantId, endpointId, UNPACK_ROWS, true).rows() == UNPACK_ROWS) {
			// one statement after the other, until the endpoint has no row left
		}
	}

	private static Unpacked unpacked(@Nullable Record row) {
		return (row != null) ? new Unpacked(row.get(0, Integer.class), row.get(1, Integer.class)) : new Unpacked(0, 0);
	}

	/**
	 * Brings the planner's statistics of the delivery log up to date. Taken before a
	 * tenant's backlog arrived, they put the tenant at one message, and the record of
	 * each claim's outcomes hashed all of the tenant's messages instead of looking its 20
	 * up by key: 0.2 to 1.4 s a claim instead of a few ms, until autovacuum's next
	 * analyze.
	 */
	void analyze() {
		this.db.execute("analyze webhook_message");
	}

	/** The endpoints with rows in the outbox, over all tenants. */
	List<Due> packedEndpoints() {
		return this.db.fetch("select distinct tenant_id, endpoint_id from webhook_outbox")
			.map((r) -> new Due(r.get(0, UUID.class), r.get(1, UUID.class)));
	}

	/**
	 * The enabled endpoints with a message due: one probe of the partial index per
	 * enabled endpoint, whatever the backlog. The probe is a lateral {@code limit 1}
	 * because the planner may answer an {@code exists} with a semi-join that reads every
	 * pending message (29 ms a call with 90,000 of them, docs/performance.md). It is
	 * ordered as the index is: unordered, statistics taken during a backlog made a
	 * sequential scan look cheaper, and once the backlog was delivered every idle poll
	 * read the whole message table (45-95 ms an endpoint with 200,000 messages).
	 */
	static final String DUE_ENDPOINTS = """
			select w.tenant_id, w.endpoint_id from webhook_endpoint w
			cross join lateral (
			    select 1 from webhook_message m
			    where m.tenant_id = w.tenant_id and m.endpoint_id = w.endpoint_id
			      and m.status = 'pending' and m.next_attempt_at <= now()
			    order by m.next_attempt_at
			    limit 1) due
			where w.enabled""";

	List<Due> dueEndpoints() {
		return this.db.fetch(DUE_ENDPOINTS).map((r) -> new Due(r.get(0, UUID.class), r.get(1, UUID.class)));
	}

	/**
	 * Claims up to {@code max} due messages of the endpoint for one attempt each: they
	 * are not due again until the lease ends, and only {@code claim} may record their
	 * outcome. Rows other instances are claiming are skipped, never waited for.
	 */
	List<MessageRow> claim(Due endpoint, int max, UUID claim, Duration lease) {
		return this.db.fetch("""
				with picked as (
				    select tenant_id, message_id from webhook_message
				    where tenant_id = ? and endpoint_id = ? and status = 'pending' and next_attempt_at <= now()
				    order by next_attempt_at
				    limit ?
				    for update skip locked)
				update webhook_message m set next_attempt_at = now() + interval '1 millisecond' * ?::float8, claim = ?
				from picked where m.tenant_id = picked.tenant_id and m.message_id = picked.message_id
				""" + " returning " + COLUMNS, endpoint.tenantId(), endpoint.endpointId(), max, lease.toMillis(), claim)
			.map(MessageRepository::toRow);
	}

	/** Gives back the messages of the claim not attempted yet: due again now. */
	void release(UUID claim) {
		this.db.execute("""
				update webhook_message set claim = null, next_attempt_at = now()
				where claim = ? and status = 'pending'""", claim);
	}

	/** One attempt's outcome, for the log. */
	record Attempt(UUID tenantId, UUID messageId, UUID endpointId, Instant attemptedAt, long durationMs,
			@Nullable Integer statusCode, String result, @Nullable String error, @Nullable String responseBody,
			@Nullable Instant nextAttemptAt, String instance) {

		boolean delivered() {
			return this.result.equals("success");
		}

		String status() {
			return delivered() ? "delivered" : ((this.nextAttemptAt != null) ? "pending" : "failed");
		}

	}

	/** An attempt to record, with the body made for it when the message had none. */
	record Outcome(Attempt attempt, @Nullable String payload) {
	}

	/**
	 * Logs the attempts of one claim (of one tenant) and moves each message on, if
	 * {@code claim} still holds it: delivered, due again at its next attempt, or failed
	 * for good when there is none. A body made for a message is kept with it, so that
	 * every later attempt sends the same bytes. One statement and one commit for the
	 * whole claim; answers the messages the claim held.
	 */
	Set<UUID> finish(UUID claim, UUID tenantId, String instance, List<Outcome> outcomes) {
		if (outcomes.isEmpty()) {
			return Set.of();
		}
		int n = outcomes.size();
		UUID[] ids = new UUID[n];
		String[] statuses = new String[n];
		String[] attemptedAt = new String[n];
		Integer[] durations = new Integer[n];
		Integer[] codes = new Integer[n];
		String[] results = new String[n];
		String[] errors = new String[n];
		String[] answers = new String[n];
		String[] nextAt = new String[n];
		String[] bodies = new String[n];
		for (int i = 0; i < n; i++) {
			Attempt a = outcomes.get(i).attempt();
			ids[i] = a.messageId();
			statuses[i] = a.status();
			attemptedAt[i] = a.attemptedAt().toString();
			durations[i] = (int) Math.min(Integer.MAX_VALUE, a.durationMs());
			codes[i] = a.statusCode();
			results[i] = a.result();
			errors[i] = a.error();
			answers[i] = a.responseBody();
			nextAt[i] = (a.nextAttemptAt() != null) ? a.nextAttemptAt().toString() : null;
			bodies[i] = outcomes.get(i).payload();
		}
		// the attempts are logged whether or not the claim held (nothing for a message
		// deleted meanwhile, with its endpoint)
		return new HashSet<>(this.db.fetch("""
				with v as (
				    select * from unnest(?::uuid[], ?::text[], ?::text[]::timestamptz[], ?::int[], ?::int[], ?::text[],
				        ?::text[], ?::text[], ?::text[]::timestamptz[], ?::text[])
				        as v(message_id, status, attempted_at, duration_ms, status_code, result, error, response_body,
				             next_attempt_at, payload)),
				updated as (
				    update webhook_message m set status = v.status, attempts = m.attempts + 1,
				        last_attempt_at = v.attempted_at,
				        delivered_at = case when v.status = 'delivered' then v.attempted_at else m.delivered_at end,
				        next_attempt_at = coalesce(v.next_attempt_at, m.next_attempt_at), claim = null,
				        payload = coalesce(m.payload, v.payload)
				    from v where m.tenant_id = ? and m.message_id = v.message_id and m.claim = ?
				    returning m.message_id),
				logged as (
				    insert into webhook_attempt (tenant_id, message_id, endpoint_id, attempted_at,
				        duration_ms, status_code, result, error, response_body, next_attempt_at, instance)
				    select m.tenant_id, m.message_id, m.endpoint_id, v.attempted_at, v.duration_ms,
				        v.status_code, v.result, v.error, v.response_body,
				        case when u.message_id is not null then v.next_attempt_at end, ?
				    from v join webhook_message m on m.tenant_id = ? and m.message_id = v.message_id
				    left join updated u on u.message_id = v.message_id)
				select message_id from updated""", ids, statuses, attemptedAt, durations, codes, results, errors,
				answers, nextAt, bodies, tenantId, claim, instance, tenantId)
			.getValues(0, UUID.class));
	}

	/** The events and their sessions' previous states, for messages' bodies. */
	List<Record> events(UUID tenantId, List<UUID> eventIds) {
		return this.db.fetch("""
				select e.event_id, e.session_id, e.state, e.occurred_at, e.received_at, e.reason, e.updated_by,
				       e.effect, e.session_state, e.change_tx::text as change_tx, e.arrival,
				       (select p.session_state from rv_session_event p
				        where p.tenant_id = e.tenant_id and p.session_id = e.session_id and p.arrival < e.arrival
				          and p.effect = 'applied'
				        order by p.arrival desc limit 1) as previous_state
				from rv_session_event e where e.tenant_id = ? and e.event_id = any (?::uuid[])""", tenantId,
				eventIds.toArray(UUID[]::new));
	}

	/**
	 * A page of the endpoint's messages, newest first, before {@code before} if given.
	 */
	List<MessageRow> list(UUID tenantId, UUID endpointId, @Nullable String status, @Nullable MessageRow before,
			int limit) {
		StringBuilder sql = new StringBuilder(
				"select " + COLUMNS + " from webhook_message m where m.tenant_id = ? and m.endpoint_id = ?");
		List<Object> args = new java.util.ArrayList<>(List.of(tenantId, endpointId));
		if (status != null) {
			sql.append(" and m.status = ?");
			args.add(status);
		}
		if (before != null) {
			sql.append(" and (m.created_at, m.message_id) < (?::timestamptz, ?)");
			args.add(before.createdAt());
			args.add(before.messageId());
		}
		sql.append(" order by m.created_at desc, m.message_id desc limit ?");
		args.add(limit);
		return this.db.fetch(sql.toString(), args.toArray()).map(MessageRow::of);
	}

	Optional<MessageRow> find(UUID tenantId, UUID endpointId, UUID messageId) {
		return this.db
			.fetchOptional("select " + COLUMNS
					+ " from webhook_message m where m.tenant_id = ? and m.endpoint_id = ? and m.message_id = ?",
					tenantId, endpointId, messageId)
			.map(MessageRow::of);
	}

	List<Attempt> attempts(UUID tenantId, UUID messageId) {
		return this.db
			.fetch("""
					select tenant_id, message_id, endpoint_id, attempted_at, duration_ms, status_code, result, error,
					    response_body, next_attempt_at, instance
					from webhook_attempt where tenant_id = ? and message_id = ? order by attempted_at, attempt_id""",
					tenantId, messageId)
			.map((r) -> new Attempt(r.get(0, UUID.class), r.get(1, UUID.class), r.get(2, UUID.class),
					r.get(3, Instant.class), r.get(4, Long.class), r.get(5, Integer.class), r.get(6, String.class),
					r.get(7, String.class), r.get(8, String.class), r.get(9, Instant.class), r.get(10, String.class)));
	}

	/** Makes the message due now (again), unless an attempt of it is in flight. */
	boolean retry(UUID tenantId, UUID messageId) {
		return this.db.execute("""
				update webhook_message set status = 'pending', next_attempt_at = now()
				where tenant_id = ? and message_id = ? and claim is null""", tenantId, messageId) == 1;
	}

	/** What a replay queued, and where the next part of it starts if it stopped early. */
	record Replayed(int queued, @Nullable String lastTx, long lastArrival, boolean more) {
	}

	/**
	 * Queues a message to the endpoint for each of its tenant's events after the position
	 * that the endpoint wants (up to {@code max}, in position order): the existing
	 * message of an event is due again, with its id and body unchanged; an event without
	 * one (it came before the endpoint, or while it was disabled) gets a new one.
	 */
	Replayed replay(EndpointRow endpoint, long afterTx, long afterArrival, int max) {
		Record row = this.db.fetchOne("""
				with picked as (
				    select e.tenant_id, e.event_id, e.session_id, e.change_tx, e.arrival,
				""" + EventTypes.sqlOf("e.session_state") + """
				    as event_type
				    from rv_session_event e
				    where e.tenant_id = ? and (e.change_tx, e.arrival) > (?::text::xid8, ?)
				      and e.change_tx < pg_snapshot_xmin(pg_current_snapshot())
				      and e.effect = 'applied'
				      and (cardinality(?::text[]) = 0 or e.session_state = any (?::text[]))
				    order by e.change_tx, e.arrival
				    limit ?),
				wanted as (
				    select * from picked where cardinality(?::text[]) = 0 or event_type = any (?::text[])),
				queued as (
				    insert into webhook_message (tenant_id, endpoint_id, event_id, session_id, event_type,
				        change_tx, arrival)
				    select tenant_id, ?, event_id, session_id, event_type, change_tx, arrival
				    from wanted
				    order by change_tx, arrival
				    on conflict (tenant_id, endpoint_id, event_id) do update
				        set status = 'pending', next_attempt_at = now()
				        where webhook_message.status <> 'pending'
				    returning 1)
				select (select count(*) from queued) as queued, (select count(*) from picked) as picked,
				       last.change_tx::text as last_tx, last.arrival as last_arrival
				from (select 1) one
				left join (select change_tx, arrival from picked order by change_tx desc, arrival desc limit 1) last
				  on true""", endpoint.tenantId(), String.valueOf(afterTx), afterArrival,
				endpoint.states().toArray(String[]::new), endpoint.states().toArray(String[]::new), max,
				endpoint.eventTypes().toArray(String[]::new), endpoint.eventTypes().toArray(String[]::new),
				endpoint.endpointId());
		Long lastArrival = row.get("last_arrival", Long.class);
		return new Replayed(row.get("queued", Integer.class), row.get("last_tx", String.class),
				(lastArrival != null) ? lastArrival : 0, row.get("picked", Integer.class) >= max);
	}

	/**
	 * Deletes up to {@code max} delivered or failed messages (and their attempts) whose
	 * last activity is older than {@code retention}; answers how many.
	 */
	int purge(Duration retention, int max) {
		return this.db.execute("""
				delete from webhook_message m
				using (select tenant_id, message_id from webhook_message
				       where status <> 'pending'
				         and coalesce(last_attempt_at, created_at) < now() - interval '1 millisecond' * ?::float8
				       -- in the order of its index, as dueEndpoints and for the same reason
				       order by coalesce(last_attempt_at, created_at)
				       limit ?) old
				where m.tenant_id = old.tenant_id and m.message_id = old.message_id""", retention.toMillis(), max);
	}

	/**
	 * Pending messages (in the log or still in the outbox) and the age of the oldest, per
	 * endpoint, for the metrics.
	 */
	record Backlog(UUID tenantId, UUID endpointId, long pending, double oldestSeconds) {
	}

	List<Backlog> backlog() {
		return this.db.fetch("""
				select tenant_id, endpoint_id, sum(messages)::bigint,
				       coalesce(extract(epoch from now() - min(created_at)), 0)::float8
				from (select tenant_id, endpoint_id, count(*) as messages, min(created_at) as created_at
				      from webhook_message where status = 'pending'
				      group by tenant_id, endpoint_id
				      union all
				      select tenant_id, endpoint_id, cardinality(arrivals), created_at from webhook_outbox) pending
				group by tenant_id, endpoint_id""")
			.map((r) -> new Backlog(r.get(0, UUID.class), r.get(1, UUID.class), r.get(2, Long.class),
					r.get(3, Double.class)));
	}

	private static MessageRow toRow(Record r) {
		return MessageRow.of(r);
	}

}
