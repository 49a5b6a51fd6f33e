-- Signed webhooks (Standard Webhooks 1.0): endpoints, a transactional outbox of messages,
-- and the log of delivery attempts. Every key is led by tenant_id, like the rest of the schema.

create table webhook_endpoint (
    tenant_id                  uuid        not null references tenant (tenant_id),
    endpoint_id                uuid        not null,
    url                        text        not null,
    description                text,
    -- empty: every event type; else rv_session.created, rv_session.state_changed, rv_session.ended
    event_types                text[]      not null default '{}',
    -- empty: every state; else the session's state after the event must be one of these
    states                     text[]      not null default '{}',
    enabled                    boolean     not null default true,
    disabled_reason            text,
    disabled_at                timestamptz,
    -- AES-GCM under a key derived from the server's key hash secret: iv || ciphertext || tag
    secret                     bytea       not null,
    previous_secret            bytea,
    previous_secret_expires_at timestamptz,
    secret_rotated_at          timestamptz,
    -- the first failure of the current run of failures; null after a success
    failing_since              timestamptz,
    created_at                 timestamptz not null default now(),
    updated_at                 timestamptz not null default now(),
    primary key (tenant_id, endpoint_id)
);

create index webhook_endpoint_enabled on webhook_endpoint (tenant_id) where enabled;

create table webhook_message (
    tenant_id       uuid        not null,
    message_id      uuid        not null,
    endpoint_id     uuid        not null,
    event_id        uuid        not null,
    session_id      uuid        not null,
    event_type      text        not null,
    -- the event's position in the events feed (V20), for its cursor and for replay
    change_tx       xid8        not null,
    arrival         bigint      not null,
    created_at      timestamptz not null default clock_timestamp(),
    -- the body, made at the first attempt and then sent unchanged on every attempt
    payload         text,
    status          text        not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
    attempts        int         not null default 0,
    next_attempt_at timestamptz not null default now(),
    -- the claim of the attempt in flight: only its holder records the outcome
    claim           uuid,
    last_attempt_at timestamptz,
    delivered_at    timestamptz,
    primary key (tenant_id, message_id),
    unique (tenant_id, endpoint_id, event_id),
    foreign key (tenant_id, endpoint_id) references webhook_endpoint (tenant_id, endpoint_id) on delete cascade
);

-- what is due, endpoint by endpoint (the claim query), and the delivery log
create index webhook_message_due on webhook_message (tenant_id, endpoint_id, next_attempt_at) where status = 'pending';
create index webhook_message_log on webhook_message (tenant_id, endpoint_id, created_at desc, message_id desc);
-- what the retention purge drops
create index webhook_message_done on webhook_message (coalesce(last_attempt_at, created_at)) where status <> 'pending';

create table webhook_attempt (
    tenant_id       uuid        not null,
    attempt_id      uuid        not null,
    message_id      uuid        not null,
    endpoint_id     uuid        not null,
    attempted_at    timestamptz not null,
    duration_ms     int         not null,
    status_code     int,
    result          text        not null,
    error           text,
    -- at most 1 KB of what the receiver answered
    response_body   text,
    next_attempt_at timestamptz,
    instance        text,
    primary key (tenant_id, attempt_id),
    foreign key (tenant_id, message_id) references webhook_message (tenant_id, message_id) on delete cascade
);

create index webhook_attempt_message on webhook_attempt (tenant_id, message_id, attempted_at);

-- a slot gives back what it claimed and did not attempt
create index webhook_message_claim on webhook_message (claim) where claim is not null;

-- The outbox: each applied event becomes one message per enabled endpoint of its tenant that
-- wants it, in the transaction that records the event, so a rolled-back write leaves no
-- message and a committed one always has its messages. One statement trigger over the
-- transition table per insert statement (a batch of 1,000 events runs it once); with no
-- enabled endpoint anywhere it stops after one probe of a partial index, so ingest without
-- endpoints pays next to nothing.
create function webhook_outbox() returns trigger language plpgsql as $$
begin
    if not exists (select 1 from webhook_endpoint where enabled) then
        return null;
    end if;
    insert into webhook_message (tenant_id, message_id, endpoint_id, event_id, session_id, event_type, change_tx, arrival)
    select n.tenant_id, gen_random_uuid(), w.endpoint_id, n.event_id, n.session_id, t.event_type, n.change_tx, n.arrival
    from new_events n
    cross join lateral (
        select case n.session_state
                   when 'INITIATED' then 'rv_session.created'
                   when 'TERMINATED' then 'rv_session.ended'
                   when 'FAILED' then 'rv_session.ended'
                   else 'rv_session.state_changed' end as event_type) t
    join webhook_endpoint w
      on w.tenant_id = n.tenant_id and w.enabled
     and (cardinality(w.event_types) = 0 or t.event_type = any (w.event_types))
     and (cardinality(w.states) = 0 or n.session_state = any (w.states))
    where n.effect = 'applied'
    order by n.arrival;
    return null;
end
$$;

create trigger rv_session_event_webhook_outbox
    after insert on rv_session_event
    referencing new table as new_events
    for each statement execute function webhook_outbox();
