-- The outbox's messages no longer check their endpoint with a foreign key. The key was checked
-- row by row: on a batch of 999 events, 999 lookups of the same endpoint, each taking a
-- key-share lock on its row (a multixact as soon as two writers hold it), about a fifth of the
-- outbox's cost (docs/performance.md, "Webhook delivery and ingest with an endpoint").
--
-- The trigger now takes the same lock once per statement, on the tenant's enabled endpoints it
-- reads, and writes messages only for those. Deleting an endpoint deletes the endpoint first and
-- then its messages (EndpointRepository.delete): the delete waits for every transaction that
-- locked the endpoint, sees their messages and deletes them; a transaction that comes after it
-- finds no endpoint to lock. So no message outlives its endpoint, as under the key.

alter table webhook_message drop constraint webhook_message_tenant_id_endpoint_id_fkey;

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
    insert into webhook_message (tenant_id, message_id, endpoint_id, event_id, session_id, event_type, change_tx, arrival)
    select n.tenant_id, gen_random_uuid(), w.endpoint_id, n.event_id, n.session_id, t.event_type, n.change_tx, n.arrival
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
