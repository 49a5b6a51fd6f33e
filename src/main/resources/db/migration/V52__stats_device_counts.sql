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
-- the counts a fold has just brought to zero, dropped in the same transaction
create index rv_stats_device_count_zero on rv_stats_device_count (tenant_id) where n = 0;

-- how many counts above zero each tenant x kind x state has: the statistics' group_count
create table rv_stats_device_groups (
    tenant_id uuid    not null,
    kind      char(1) not null,
    state     text    not null,
    groups    bigint  not null,
    primary key (tenant_id, kind, state)
);

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
create index rv_session_device_name_durations on rv_session (tenant_id, device_name, state) include (duration_us);
create index rv_session_device_id_durations on rv_session (tenant_id, device_id, state) include (duration_us);

-- Folds up to p_limit deltas (of one tenant, or of any when p_tenant is null) into the
-- counts and the group counts; answers how many. Callers hold the advisory lock on
-- hashtext('rv_stats_device_delta'): the compactor, and an erasure for its tenant.
create function rv_stats_device_fold(p_tenant uuid, p_limit integer) returns integer language plpgsql as $$
declare
    folded integer;
begin
    with moved as (
        delete from rv_stats_device_delta
        where ctid = any(array(select ctid from rv_stats_device_delta
                               where p_tenant is null or tenant_id = p_tenant limit p_limit))
        returning tenant_id, kind, value, state, n),
    net as (
        select tenant_id, kind, value, state, sum(n)::bigint as n from moved
        group by tenant_id, kind, value, state having sum(n) <> 0),
    kept as (
        insert into rv_stats_device_count as c (tenant_id, kind, value, state, n)
        select tenant_id, kind, value, state, n from net
        on conflict (tenant_id, kind, value, state) do update set n = c.n + excluded.n
        returning c.tenant_id, c.kind, c.value, c.state, c.n),
    -- a count may go below zero for a while (a removal folded before its addition)
    changed as (
        select k.tenant_id, k.kind, k.state, sum((k.n > 0)::int - (k.n - d.n > 0)::int) as groups
        from kept k
        join net d on d.tenant_id = k.tenant_id and d.kind = k.kind and d.value = k.value and d.state = k.state
        group by k.tenant_id, k.kind, k.state
        having sum((k.n > 0)::int - (k.n - d.n > 0)::int) <> 0),
    grouped as (
        insert into rv_stats_device_groups as g (tenant_id, kind, state, groups)
        select tenant_id, kind, state, groups from changed
        on conflict (tenant_id, kind, state) do update set groups = g.groups + excluded.groups)
    select count(*) into folded from moved;
    delete from rv_stats_device_count where n = 0;
    return folded;
end
$$;

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
insert into rv_stats_device_groups (tenant_id, kind, state, groups)
select tenant_id, kind, state, count(*)
from rv_stats_device_count
group by tenant_id, kind, state;
