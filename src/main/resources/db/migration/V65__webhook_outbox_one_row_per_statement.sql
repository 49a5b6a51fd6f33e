-- The outbox writes one row per insert statement and endpoint, holding that statement's
-- messages, instead of one row per message. A batch of 999 events wrote 999 message rows with
-- four index entries each in the write's transaction, about a third of the events' insert
-- with an endpoint active (docs/performance.md, "Where a burst's time goes"). Now it writes one
-- row: the events' positions and what makes the messages' ids. The messages are still written
-- in the change's transaction: a rolled-back write leaves no row, a committed one always has
-- its messages, and their ids (the webhook-id of every attempt) are fixed there.
--
-- The delivery worker unpacks the rows into webhook_message, the delivery log (at once, or as
-- delivery needs them while it gives way to the API); reading an endpoint's messages unpacks
-- its rows first (MessageRepository.unpack). Unpacking takes a row with FOR UPDATE SKIP
-- LOCKED and deletes it in the statement that writes its messages, so each row becomes
-- messages once, on one instance.
--
-- The row checks its endpoint with a foreign key again (V61 dropped the message's key: it was
-- checked once per message; here it is once per statement and endpoint), and an endpoint's
-- delete takes its rows with it.

create table webhook_outbox (
    tenant_id   uuid        not null,
    endpoint_id uuid        not null,
    batch_id    bigint      generated always as identity,
    created_at  timestamptz not null default clock_timestamp(),
    -- the messages' ids as V64 made them: the statement's millisecond and random bits, and as
    -- counter each message's place in arrivals
    id_millis   bigint      not null,
    id_random   text        not null,
    -- the events, by their position in the events feed (V20), in arrival order
    change_tx   xid8        not null,
    arrivals    bigint[]    not null,
    primary key (tenant_id, endpoint_id, batch_id),
    foreign key (tenant_id, endpoint_id) references webhook_endpoint (tenant_id, endpoint_id) on delete cascade
);

create or replace function webhook_outbox() returns trigger language plpgsql as $$
begin
    if not exists (select 1 from webhook_endpoint where enabled) then
        return null;
    end if;
    -- locked as V61 locks them: a write never meets an endpoint deleted under it (the key's
    -- check would fail the write), and the delete waits for the writers that hold it
    with endpoints as materialized (
        select w.tenant_id, w.endpoint_id, w.event_types, w.states
        from webhook_endpoint w
        where w.enabled and w.tenant_id in (select distinct tenant_id from new_events)
        for key share)
    insert into webhook_outbox (tenant_id, endpoint_id, id_millis, id_random, change_tx, arrivals)
    select n.tenant_id, w.endpoint_id,
           -- drawn once for each row
           floor(extract(epoch from clock_timestamp()) * 1000)::bigint,
           substr(gen_random_uuid()::text, 19),
           n.change_tx, array_agg(n.arrival order by n.arrival)
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
    where n.effect = 'applied'
    group by n.tenant_id, w.endpoint_id, n.change_tx;
    return null;
end
$$;
