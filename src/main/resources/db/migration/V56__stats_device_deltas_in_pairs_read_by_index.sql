-- Two changes to the device statistics' write path, measured in docs/performance.md (V56).
--
-- 1. A session's state change appends two device deltas, its old state's -1 and its new
-- state's +1 (V53). The fold makes four counts of each (name and id, in the state and in
-- all states) and adds up what cancels before writing: a pair's all-states counts cancel
-- when both halves are in the same fold. The trigger appended them in its hash aggregate's
-- order, so about half of the pairs were split across folds of 1,000 and each half wrote
-- its all-states counts: a third of the fold's writes came to nothing. Appended in device
-- order, the halves of a pair stay next to each other.
--
-- 2. The fold took its deltas in the table's physical order. A delta table keeps its pages
-- (V9), so the compactor read every page the table ever grew to (after a bulk load or a
-- burst, hundreds of MB) each second, even with no delta left. It now takes them in the
-- order of the tenant index, whose entries for one tenant follow the rows' physical order
-- (so the pairs of 1. stay together).
create or replace function rv_stats_device_changed() returns trigger language plpgsql as $$
begin
    insert into rv_stats_device_delta (tenant_id, device_name, device_id, state, n)
    select tenant_id, device_name, device_id, state, sum(n)
    from (select tenant_id, device_name, device_id, state, 1 as n from new_rows
          union all
          select tenant_id, device_name, device_id, state, -1 from old_rows) c
    group by 1, 2, 3, 4
    having sum(n) <> 0
    order by 1, 3, 2;
    return null;
end
$$;

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
