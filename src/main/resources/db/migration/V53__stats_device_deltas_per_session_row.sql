-- The device deltas (V52) become one row per tenant x device name x device id x state
-- instead of four (name and id, each with the state and with all states): an update of a
-- session's state appended four rows, a new session four, now two and one. The fold
-- makes the four counts from each row, off the write path. Measured on a 1,000-session
-- update in docs/performance.md (V53).
--
-- rv_stats_refill() makes every statistics cell and count (V50-V52) again from the rows:
-- the bench generator calls it after its bulk load, and an operator may after a restore
-- of the rows alone.

-- what is pending is folded with V52's function before its table changes
select rv_stats_device_fold(null, 2147483647);
drop trigger rv_stats_device_inserted on rv_session;
drop trigger rv_stats_device_updated on rv_session;
drop trigger rv_stats_device_deleted on rv_session;
drop function rv_stats_device_inserted();
drop function rv_stats_device_changed();
drop function rv_stats_device_deleted();
drop table rv_stats_device_delta;

create table rv_stats_device_delta (
    tenant_id   uuid   not null,
    device_name text   not null,
    device_id   uuid   not null,
    state       text   not null,
    n           bigint not null
);

create index rv_stats_device_delta_tenant on rv_stats_device_delta (tenant_id);

alter table rv_stats_device_delta set (vacuum_truncate = false);

-- The counts a delta row changes: by name and by id, each in its state and in all ('').
create function rv_stats_device_keys(p_name text, p_id uuid, p_state text)
returns table (kind char(1), value text, state text) language sql immutable parallel safe as $$
    values ('n'::char(1), p_name, p_state), ('n', p_name, ''), ('i', p_id::text, p_state), ('i', p_id::text, '')
$$;

create or replace function rv_stats_device_fold(p_tenant uuid, p_limit integer) returns integer
language plpgsql as $$
declare
    folded integer;
begin
    with moved as (
        delete from rv_stats_device_delta
        where ctid = any(array(select ctid from rv_stats_device_delta
                               where p_tenant is null or tenant_id = p_tenant limit p_limit))
        returning tenant_id, device_name, device_id, state, n),
    net as (
        select m.tenant_id, k.kind, k.value, k.state, sum(m.n)::bigint as n
        from moved m
        cross join lateral rv_stats_device_keys(m.device_name, m.device_id, m.state) k
        group by 1, 2, 3, 4 having sum(m.n) <> 0),
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

create function rv_stats_device_inserted() returns trigger language plpgsql as $$
begin
    insert into rv_stats_device_delta (tenant_id, device_name, device_id, state, n)
    select tenant_id, device_name, device_id, state, count(*) from new_rows group by 1, 2, 3, 4;
    return null;
end
$$;

create function rv_stats_device_changed() returns trigger language plpgsql as $$
begin
    insert into rv_stats_device_delta (tenant_id, device_name, device_id, state, n)
    select tenant_id, device_name, device_id, state, sum(n)
    from (select tenant_id, device_name, device_id, state, 1 as n from new_rows
          union all
          select tenant_id, device_name, device_id, state, -1 from old_rows) c
    group by 1, 2, 3, 4
    having sum(n) <> 0;
    return null;
end
$$;

create function rv_stats_device_deleted() returns trigger language plpgsql as $$
begin
    insert into rv_stats_device_delta (tenant_id, device_name, device_id, state, n)
    select tenant_id, device_name, device_id, state, -count(*) from old_rows group by 1, 2, 3, 4;
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

-- V50's, V51's and V52's initial fills, for all tenants; their deltas are dropped.
create function rv_stats_refill() returns void language plpgsql as $$
begin
    -- writes wait until the caller commits: a change is then either in the rows read or in
    -- a delta appended after, never in both
    lock table rv_session in share mode;
    delete from rv_stats_delta;
    delete from rv_stats_cell;
    insert into rv_stats_cell (tenant_id, grain, period, state, video_quality, n, dur_n, dur_sum, dur_max, hist)
    select tenant_id, grain, period, state, video_quality, sum(n), coalesce(sum(n) filter (where bin >= 0), 0),
           coalesce(sum(dur_sum), 0), max(dur_max),
           coalesce(string_agg(int2send(bin) || int4send(n::integer), ''::bytea order by bin)
                      filter (where bin >= 0), ''::bytea)
    from (select tenant_id, g.grain, date_trunc(g.unit, created_at, 'UTC') as period, state, video_quality,
                 rv_stats_bin(duration_us) as bin, count(*) as n, sum(duration_us) as dur_sum,
                 max(duration_us) as dur_max
          from rv_session
          cross join (values ('h', 'hour'), ('d', 'day'), ('m', 'month')) g (grain, unit)
          group by 1, 2, 3, 4, 5, 6) bins
    group by tenant_id, grain, period, state, video_quality;

    delete from rv_stats_value_delta;
    delete from rv_stats_value_cell;
    insert into rv_stats_value_cell (tenant_id, kind, value, state, video_quality, n, dur_n, dur_sum, dur_max, hist)
    select tenant_id, kind, value, state, video_quality, sum(n), coalesce(sum(n) filter (where bin >= 0), 0),
           coalesce(sum(dur_sum), 0), max(dur_max),
           coalesce(string_agg(int2send(bin) || int4send(n::integer), ''::bytea order by bin)
                      filter (where bin >= 0), ''::bytea)
    from (select tenant_id, k.kind, k.value, state, video_quality, rv_stats_bin(duration_us) as bin,
                 count(*) as n, sum(duration_us) as dur_sum, max(duration_us) as dur_max
          from rv_session r
          cross join lateral (values ('r', coalesce('=' || r.reason, '')),
                                     ('c', coalesce('=' || r.created_by, ''))) k (kind, value)
          group by 1, 2, 3, 4, 5, 6) bins
    group by tenant_id, kind, value, state, video_quality;

    delete from rv_stats_device_delta;
    delete from rv_stats_device_count;
    delete from rv_stats_device_groups;
    -- one sort per kind gives both the per-state and the all-states counts
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
end
$$;
