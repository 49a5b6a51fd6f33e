-- The device counts of the states a session passes through (INITIATED, ACKNOWLEDGED,
-- ACTIVE) move to a table of their own, measured in docs/performance.md (V57).
--
-- A device has few sessions in those states at once, so their counts go 0 -> 1 -> 0 with
-- every session: V52 deleted a count at zero and inserted it again with the device's next
-- session, each time into three indexes (the key, the top devices' and the zero counts').
-- Here they stay at zero, and their index for the devices with most sessions holds a tier
-- instead of the count: the count's power of two (0 for counts up to 1, 1 for 2-3, 2 for
-- 4-7, ...), so a count changes its index entries only when it crosses a power of two, and
-- otherwise in place, a heap-only tuple (HOT) update with no index entry written. The top
-- devices are the index's tiers from the highest, read down to the tier holding the
-- limit-th one and ordered by count in memory; in tier 0, the counts of 1 in the index's
-- order of the value. The compactor deletes the counts at zero now and then
-- (StatsCellCompactor), and an erasure those of its tenant. The final states and all states
-- ('') keep V52's table; the group counts of both stay in rv_stats_device_groups.

-- no fold runs while the counts move (the compactors and erasures take this lock)
select pg_advisory_xact_lock(hashtext('rv_stats_device_delta'));

create table rv_stats_device_live_count (
    tenant_id uuid    not null,
    -- 'n' for device_name, 'i' for device_id (as text)
    kind      char(1) not null,
    -- INITIATED, ACKNOWLEDGED or ACTIVE
    state     text    not null,
    value     text    not null,
    n         bigint  not null,
    tier      smallint not null
        generated always as (case when n <= 1 then 0 else length(ltrim(n::bit(64)::text, '0')) - 1 end) stored,
    primary key (tenant_id, kind, state, value)
) with (fillfactor = 80);

create index rv_stats_device_live_count_top
    on rv_stats_device_live_count (tenant_id, kind, state, tier desc, value collate "C");

insert into rv_stats_device_live_count (tenant_id, kind, state, value, n)
select tenant_id, kind, state, value, n from rv_stats_device_count
where state in ('INITIATED', 'ACKNOWLEDGED', 'ACTIVE');
delete from rv_stats_device_count where state in ('INITIATED', 'ACKNOWLEDGED', 'ACTIVE');

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
        select m.tenant_id, k.kind, k.value, k.state, sum(m.n)::bigint as n,
               k.state in ('INITIATED', 'ACKNOWLEDGED', 'ACTIVE') as live
        from moved m
        cross join lateral rv_stats_device_keys(m.device_name, m.device_id, m.state) k
        group by 1, 2, 3, 4 having sum(m.n) <> 0),
    live as (
        insert into rv_stats_device_live_count as c (tenant_id, kind, state, value, n)
        select tenant_id, kind, state, value, n from net where live
        on conflict (tenant_id, kind, state, value) do update set n = c.n + excluded.n
        returning c.tenant_id, c.kind, c.value, c.state, c.n),
    kept as (
        insert into rv_stats_device_count as c (tenant_id, kind, value, state, n)
        select tenant_id, kind, value, state, n from net where not live
        on conflict (tenant_id, kind, value, state) do update set n = c.n + excluded.n
        returning c.tenant_id, c.kind, c.value, c.state, c.n),
    -- each count written with its change: one row of each per key
    paired as (
        select tenant_id, kind, state, sum(after) as after, sum(change) as change
        from (select tenant_id, kind, value, state, n as after, 0 as change from kept
              union all
              select tenant_id, kind, value, state, n, 0 from live
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

-- V53's, with the counts of the states a session passes through in their own table
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
    delete from rv_stats_device_live_count;
    delete from rv_stats_device_groups;
    -- one read of the rows per kind gives the counts per state, all states' added up
    with by_name as materialized (
        select tenant_id, device_name as value, state, count(*) as n from rv_session group by 1, 2, 3),
    live as (
        insert into rv_stats_device_live_count (tenant_id, kind, state, value, n)
        select tenant_id, 'n', state, value, n from by_name where state in ('INITIATED', 'ACKNOWLEDGED', 'ACTIVE'))
    insert into rv_stats_device_count (tenant_id, kind, value, state, n)
    select tenant_id, 'n', value, state, n from by_name where state not in ('INITIATED', 'ACKNOWLEDGED', 'ACTIVE')
    union all
    select tenant_id, 'n', value, '', sum(n) from by_name group by tenant_id, value;
    with by_id as materialized (
        select tenant_id, device_id::text as value, state, count(*) as n from rv_session group by 1, 2, 3),
    live as (
        insert into rv_stats_device_live_count (tenant_id, kind, state, value, n)
        select tenant_id, 'i', state, value, n from by_id where state in ('INITIATED', 'ACKNOWLEDGED', 'ACTIVE'))
    insert into rv_stats_device_count (tenant_id, kind, value, state, n)
    select tenant_id, 'i', value, state, n from by_id where state not in ('INITIATED', 'ACKNOWLEDGED', 'ACTIVE')
    union all
    select tenant_id, 'i', value, '', sum(n) from by_id group by tenant_id, value;
    insert into rv_stats_device_groups (tenant_id, kind, state, groups)
    select tenant_id, kind, state, count(*)
    from (select tenant_id, kind, state from rv_stats_device_count
          union all
          select tenant_id, kind, state from rv_stats_device_live_count) c
    group by tenant_id, kind, state;
end
$$;
