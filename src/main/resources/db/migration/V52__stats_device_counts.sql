-- Session counts by device name and by device id kept on write (issue 19), for statistics
-- grouped by either (with or without state): per tenant x kind x value x state, and '' for
-- all states. The devices with most sessions are then the first entries of an index, not a
-- count over every row; their metrics are read from their own rows only. Names are about as
-- many as sessions in a large fleet, so no durations are kept here (V51's cells would be as
-- large as the rows).

create table rv_stats_device_count (
    tenant_id uuid    not null,
    -- 'n' for device_name, 'i' for device_id (as text)
    kind      char(1) not null,
    value     text    not null,
    -- a state, or '' for all states
    state     text    not null,
    n         bigint  not null,
    primary key (tenant_id, kind, value, state)
);

-- most sessions first, ties in code-point order, as the statistics order their groups
create index rv_stats_device_count_top on rv_stats_device_count (tenant_id, kind, state, n desc, value collate "C");

create table rv_stats_device_delta (
    tenant_id uuid    not null,
    kind      char(1) not null,
    value     text    not null,
    state     text    not null,
    n         bigint  not null
);

create index rv_stats_device_delta_kind on rv_stats_device_delta (tenant_id, kind);

alter table rv_stats_device_delta set (vacuum_truncate = false);

-- the statistics measure the top devices' sessions from these alone (index-only scans)
create index rv_session_device_name_durations on rv_session (tenant_id, device_name) include (state, duration_us);
create index rv_session_device_id_durations on rv_session (tenant_id, device_id) include (state, duration_us);

create function rv_stats_device_changed() returns trigger language plpgsql as $$
begin
    insert into rv_stats_device_delta (tenant_id, kind, value, state, n)
    select c.tenant_id, k.kind, k.value, k.state, sum(c.n)
    from (select tenant_id, device_name, device_id, state, 1 as n from new_rows
          union all
          select tenant_id, device_name, device_id, state, -1 from old_rows) c
    cross join lateral (values ('n', c.device_name, c.state), ('n', c.device_name, ''),
                               ('i', c.device_id::text, c.state), ('i', c.device_id::text, '')) k (kind, value, state)
    group by 1, 2, 3, 4
    having sum(c.n) <> 0;
    return null;
end
$$;

create function rv_stats_device_inserted() returns trigger language plpgsql as $$
begin
    insert into rv_stats_device_delta (tenant_id, kind, value, state, n)
    select r.tenant_id, k.kind, k.value, k.state, count(*)
    from new_rows r
    cross join lateral (values ('n', r.device_name, r.state), ('n', r.device_name, ''),
                               ('i', r.device_id::text, r.state), ('i', r.device_id::text, '')) k (kind, value, state)
    group by 1, 2, 3, 4;
    return null;
end
$$;

create function rv_stats_device_deleted() returns trigger language plpgsql as $$
begin
    insert into rv_stats_device_delta (tenant_id, kind, value, state, n)
    select r.tenant_id, k.kind, k.value, k.state, -count(*)
    from old_rows r
    cross join lateral (values ('n', r.device_name, r.state), ('n', r.device_name, ''),
                               ('i', r.device_id::text, r.state), ('i', r.device_id::text, '')) k (kind, value, state)
    group by 1, 2, 3, 4;
    return null;
end
$$;

create trigger rv_stats_device_inserted after insert on rv_session
    referencing new table as new_rows for each statement execute function rv_stats_device_inserted();
create trigger rv_stats_device_updated after update on rv_session
    referencing old table as old_rows new table as new_rows for each statement
    execute function rv_stats_device_changed();
create trigger rv_stats_device_deleted after delete on rv_session
    referencing old table as old_rows for each statement execute function rv_stats_device_deleted();

-- The counts of the sessions already there (bench/stats-cells.sql repeats it for the bench
-- generator): one sort per kind gives both the per-state and the all-states counts.
insert into rv_stats_device_count (tenant_id, kind, value, state, n)
select tenant_id, 'n', device_name, case when grouping(state) = 1 then '' else state end, count(*)
from rv_session
group by tenant_id, device_name, rollup (state);
insert into rv_stats_device_count (tenant_id, kind, value, state, n)
select tenant_id, 'i', device_id::text, case when grouping(state) = 1 then '' else state end, count(*)
from rv_session
group by tenant_id, device_id, rollup (state);
