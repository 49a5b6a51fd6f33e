-- Every key and index is led by tenant_id so the schema can later be distributed by tenant.

create table tenant (
    tenant_id  uuid        primary key,
    name       text        not null,
    created_at timestamptz not null default now()
);

create table api_key (
    tenant_id    uuid        not null references tenant (tenant_id),
    key_id       uuid        not null,
    name         text        not null,
    -- the first characters of the key, shown in listings so an operator can tell keys apart
    prefix       text        not null,
    -- SHA-256 of the whole key; the key itself is never stored
    key_hash     bytea       not null,
    scopes       text[]      not null,
    created_at   timestamptz not null default now(),
    last_used_at timestamptz,
    revoked_at   timestamptz,
    primary key (tenant_id, key_id),
    constraint api_key_hash_unique unique (key_hash)
);

create table rv_session (
    tenant_id      uuid        not null references tenant (tenant_id),
    session_id     uuid        not null,
    device_id      uuid        not null,
    device_name    text        not null,
    device_alias   text,
    device_state   integer,
    state          text        not null check (state in ('INITIATED', 'ACKNOWLEDGED', 'ACTIVE', 'TERMINATED', 'FAILED')),
    video_quality  text        not null check (video_quality in ('STANDARD', 'DATA_SAVER')),
    reason         text,
    created_by     text,
    updated_by     text,
    created_at     timestamptz not null,
    updated_at     timestamptz not null,
    started_at     timestamptz,
    ended_at       timestamptz,
    -- Lower-cased copies made by the application (Locale.ROOT), so that case-insensitive search
    -- and ordering do not depend on the database's locale.
    device_name_lc text        not null,
    reason_lc      text,
    created_by_lc  text,
    -- Microseconds from ACTIVE to TERMINATED/FAILED; null without both, or when clocks disagree.
    duration_us    bigint generated always as (
        case when ended_at >= started_at
             then (extract(epoch from (ended_at - started_at)) * 1000000)::bigint
        end) stored,
    primary key (tenant_id, session_id)
);

create index rv_session_created on rv_session (tenant_id, created_at desc, session_id);

create table rv_session_event (
    tenant_id   uuid        not null,
    event_id    uuid        not null,
    session_id  uuid        not null,
    -- arrival order, the tie-breaker between events with the same occurred_at
    arrival     bigint      generated always as identity,
    state       text        not null check (state in ('INITIATED', 'ACKNOWLEDGED', 'ACTIVE', 'TERMINATED', 'FAILED')),
    occurred_at timestamptz not null,
    received_at timestamptz not null default now(),
    reason      text,
    updated_by  text,
    primary key (tenant_id, event_id),
    foreign key (tenant_id, session_id) references rv_session (tenant_id, session_id)
);

create index rv_session_event_timeline on rv_session_event (tenant_id, session_id, occurred_at, arrival);
