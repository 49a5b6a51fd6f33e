-- Webhook messages and attempts get version 7 UUIDs (RFC 9562: the millisecond of their
-- making first, then random bits), as sessions and events already do (TimeOrderedIds). Their
-- primary keys are btrees led by the tenant; a random id (gen_random_uuid) landed on a random
-- leaf of an index that holds every message kept for the retention period, so nearly every
-- message of a batch dirtied a leaf of its own, logged whole the first time after each
-- checkpoint. With a million messages kept, the outbox's insert of a batch's 999 messages took
-- 20-39 ms with random ids and 9-16 ms with ids in time order (docs/performance.md, V63).
--
-- The ids stay unique and opaque to receivers (the webhook-id is the message id); messages
-- written before keep theirs. The tables make the ids (column defaults), so the outbox, replay
-- and the attempts' log no longer each choose their form.

create function rvfeed_uuid_v7() returns uuid language sql volatile parallel safe as $$
    -- a version 4 UUID with its first 48 bits replaced by the Unix time in milliseconds and
    -- its version nibble turned from 4 (0100) into 7 (0111)
    select encode(
        set_bit(set_bit(
            overlay(uuid_send(gen_random_uuid())
                    placing substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3)
                    from 1 for 6),
            52, 1), 53, 1),
        'hex')::uuid
$$;

alter table webhook_message alter column message_id set default rvfeed_uuid_v7();
alter table webhook_attempt alter column attempt_id set default rvfeed_uuid_v7();

create or replace function webhook_outbox() returns trigger language plpgsql as $$
begin
    if not exists (select 1 from webhook_endpoint where enabled) then
        return null;
    end if;
    with endpoints as materialized (
        select w.tenant_id, w.endpoint_id, w.event_types, w.states
        from webhook_endpoint w
        where w.enabled and w.tenant_id in (select distinct tenant_id from new_events)
        for key share)
    insert into webhook_message (tenant_id, endpoint_id, event_id, session_id, event_type, change_tx, arrival)
    select n.tenant_id, w.endpoint_id, n.event_id, n.session_id, t.event_type, n.change_tx, n.arrival
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
    order by n.arrival;
    return null;
end
$$;
