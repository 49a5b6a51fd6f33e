-- The outbox makes its messages' ids per statement: the statement's millisecond and random
-- bits are drawn once, and each message takes the next value of a counter in the twelve bits
-- after the version (RFC 9562, 6.2, method 1: a dedicated counter, its overflow carried into
-- the timestamp). A batch's 999 ids came from 999 calls of rvfeed_uuid_v7(), each drawing
-- sixteen bytes from the operating system's random source and taking the time again: 13.2 ms
-- for the insert of 999 messages, 9.3 ms with ids made per statement (median of 16 each, in
-- turns, docs/performance.md, V64).
--
-- Ids stay version 7, unique and in time order: within a statement the counter makes them
-- distinct and in the order of the events' arrival, and two statements of the same
-- millisecond differ in their 62 random bits. Replay and the attempts keep the column's
-- default.

create or replace function webhook_outbox() returns trigger language plpgsql as $$
begin
    if not exists (select 1 from webhook_endpoint where enabled) then
        return null;
    end if;
    with endpoints as materialized (
        select w.tenant_id, w.endpoint_id, w.event_types, w.states
        from webhook_endpoint w
        where w.enabled and w.tenant_id in (select distinct tenant_id from new_events)
        for key share),
    -- drawn once for the statement
    drawn as materialized (
        select floor(extract(epoch from clock_timestamp()) * 1000)::bigint as millis,
               substr(gen_random_uuid()::text, 19) as random_part),
    messages as (
        select n.tenant_id, w.endpoint_id, n.event_id, n.session_id, t.event_type, n.change_tx, n.arrival,
               row_number() over (order by n.arrival, w.endpoint_id) - 1 as counter
        from new_events n
        cross join lateral (
            select case n.session_state
                       when 'INITIATED' then 'rv_session.created'
                       when 'TERMINATED' then 'rv_session.ended'
                       when 'FAILED' then 'rv_session.ended'
                       else 'rv_session.state_changed' end as event_type) t
        join endpoints w
          on w.tenant_id = n.tenant_id
         and (cardinality(w.event_types) = 0 or t.event_type = any (w.event_types))
         and (cardinality(w.states) = 0 or n.session_state = any (w.states))
        where n.effect = 'applied')
    insert into webhook_message (tenant_id, message_id, endpoint_id, event_id, session_id, event_type, change_tx,
                                 arrival)
    select m.tenant_id,
           -- 48 bits of milliseconds and 12 of counter in 15 hex digits, the version between
           -- them, then the variant and random bits of a version 4 UUID
           (substr(h.hex, 1, 8) || '-' || substr(h.hex, 9, 4) || '-7' || substr(h.hex, 13, 3) || s.random_part)::uuid,
           m.endpoint_id, m.event_id, m.session_id, m.event_type, m.change_tx, m.arrival
    from messages m
    cross join drawn s
    cross join lateral (select lpad(to_hex(s.millis * 4096 + m.counter), 15, '0') as hex) h
    order by m.counter;
    return null;
end
$$;
