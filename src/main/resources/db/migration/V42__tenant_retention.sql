-- Retention per tenant (PUT /admin/tenants/{id}/retention). No row, or a null period: the
-- tenant's data is kept forever (the default).
create table tenant_retention (
    tenant_id            uuid        primary key references tenant (tenant_id),
    retention_days       integer     check (retention_days between 1 and 36500),
    set_at               timestamptz not null default now(),
    -- the cutoff of the latest purge: every session updated at or after it is still held
    -- (the X-Data-Since header); null until a purge ran
    data_since           timestamptz,
    -- the newest feed positions purged so far: a cursor before them answers 410
    purged_change_tx     bigint      not null default 0,
    purged_change_seq    bigint      not null default 0,
    purged_event_tx      bigint      not null default 0,
    purged_event_arrival bigint      not null default 0
);
