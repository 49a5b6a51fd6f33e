-- The device counts of the states a session passes through (INITIATED, ACKNOWLEDGED,
-- ACTIVE) are no longer kept: the statistics count a state's devices from the sessions in
-- it, through partial indexes that hold only those sessions, by state and device, in one
-- pass of the index's order. Measured in docs/performance.md (V58).
--
-- Every event moved a session between two states and so changed four counts (its device's
-- name and id, in the old state and in the new one): the device fold was the statistics'
-- largest write cost (docs/performance.md, V57). The deltas now name only the final states;
-- for the others they carry '' (all states), so a move between two such states nets to
-- nothing in the trigger, and a session changes four counts in its life (all states when
-- created, its final state when it ends) instead of four per event. A session's entries in
-- the partial indexes are written with its row, as its other indexes' entries.

-- no fold runs while the counts move (the compactors and erasures take this lock)
select pg_advisory_xact_lock(hashtext('rv_stats_device_delta'));

-- by state and device, so that a state's devices are counted in one pass in the index's order
create index rv_session_live_device_names on rv_session (tenant_id, state, device_name)
    where state in ('INITIATED', 'ACKNOWLEDGED', 'ACTIVE');
create index rv_session_live_device_ids on rv_session (tenant_id, state, device_id)
    where state in ('INITIATED', 'ACKNOWLEDGED', 'ACTIVE');

-- the deltas not folded yet: a passing state's count now counts for all states only
update rv_stats_device_delta set state = '' where state in ('INITIATED', 'ACKNOWLEDGED', 'ACTIVE');
drop table rv_stats_device_live_count;
delete from rv_stats_device_groups where state in ('INITIATED', 'ACKNOWLEDGED', 'ACTIVE');

-- The counts a delta row changes: by name and by id, each in its final state and in all
-- (''); a delta for all states ('') changes those only.
create or replace function rv_stats_device_keys(p_name text, p_id uuid, p_state text)
returns table (kind char(1), value text, state text) language sql immutable parallel safe as $$
    select k.kind, k.value, s.state
    from (values ('n'::char(1), p_name), ('i'::char(1), p_id::text)) k (kind, value)
    cross join unnest(case when p_state = '' then array['']::text[] else array[p_state, ''] end) s (state)
$$;

-- The state a delta names: a final one, else '' (all states).
create function rv_stats_device_state(p_state text) returns text
language sql immutable parallel safe as $$
    select case when p_state in ('INITIATED', 'ACKNOWLEDGED', 'ACTIVE') then '' else p_state end
$$;

create or replace function rv_stats_device_inserted() returns trigger language plpgsql as $$
begin
    insert into rv_stats_device_delta (tenant_id, device_name, device_id, state, n)
    select tenant_id, device_name, device_id, rv_stats_device_state(state), count(*)
    from new_rows
    group by 1, 2, 3, 4
    order by 1, 3, 2;
    return null;
end
$$;

-- V56's, with the passing states as ''
create or replace function rv_stats_device_changed() returns trigger language plpgsql as $$
begin
    insert into rv_stats_device_delta (tenant_id, device_name, device_id, state, n)
    select tenant_id, device_name, device_id, state, sum(n)
    from (select tenant_id, device_name, device_id, rv_stats_device_state(state) as state, 1 as n from new_rows
          union all
          select tenant_id, device_name, device_id, rv_stats_device_state(state), -1 from old_rows) c
    group by 1, 2, 3, 4
    having sum(n) <> 0
    order by 1, 3, 2;
    return null;
end
$$;

create or replace function rv_stats_device_deleted() returns trigger language plpgsql as $$
begin
    insert into rv_stats_device_delta (tenant_id, device_name, device_id, state, n)
    select tenant_id, device_name, device_id, rv_stats_device_state(state), -count(*)
    from old_rows
    group by 1, 2, 3, 4
    order by 1, 3, 2;
    return null;
end
$$;

-- V56's
create or replace function rv_stats_device_fold(p_tenant uuid, p_limit integer) returns integer
language plpgsql as $$
declare
    folded integer;
begin
    with moved as (
        delete from rv_stats_device_delta
        where ctid = any(array(select ctid from rv_stats_device_delta
                               where p_tenant is null or tenant_id = p_tenant
                               order by tenant_id limit p_limit))
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
    -- each count written with its change: one row of each per key
    paired as (
        select tenant_id, kind, state, sum(after) as after, sum(change) as change
        from (select tenant_id, kind, value, state, n as after, 0 as change from kept
              union all
              select tenant_id, kind, value, state, 0, n from net) both_sides
        group by tenant_id, kind, value, state),
    -- a count may go below zero for a while (a removal folded before its addition)
    changed as (
        select tenant_id, kind, state, sum((after > 0)::int - (after - change > 0)::int) as groups
        from paired
        group by tenant_id, kind, state
        having sum((after > 0)::int - (after - change > 0)::int) <> 0),
    grouped as (
        insert into rv_stats_device_groups as g (tenant_id, kind, state, groups)
        select tenant_id, kind, state, groups from changed
        on conflict (tenant_id, kind, state) do update set groups = g.groups + excluded.groups)
    select count(*) into folded from moved;
    delete from rv_stats_device_count where n = 0;
    return folded;
end
$$;

-- V57's, without the passing states' counts
create or replace function rv_stats_refill() returns void language plpgsql as $$
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
    -- one read of the rows per kind gives the counts per final state, all states' added up
    with by_name as materialized (
        select tenant_id, device_name as value, state, count(*) as n from rv_session group by 1, 2, 3)
    insert into rv_stats_device_count (tenant_id, kind, value, state, n)
    select tenant_id, 'n', value, state, n from by_name where rv_stats_device_state(state) <> ''
    union all
    select tenant_id, 'n', value, '', sum(n) from by_name group by tenant_id, value;
    with by_id as materialized (
        select tenant_id, device_id::text as value, state, count(*) as n from rv_session group by 1, 2, 3)
    insert into rv_stats_device_count (tenant_id, kind, value, state, n)
    select tenant_id, 'i', value, state, n from by_id where rv_stats_device_state(state) <> ''
    union all
    select tenant_id, 'i', value, '', sum(n) from by_id group by tenant_id, value;
    insert into rv_stats_device_groups (tenant_id, kind, state, groups)
    select tenant_id, kind, state, count(*)
    from rv_stats_device_count
    group by tenant_id, kind, state;
end
$$;
