-- The device fold (V53) found each changed count's value before the fold by joining the
-- counts it wrote to the changes it made. Both sides are results inside the statement, so
-- the planner sized them from the delta table's statistics, which autovacuum mostly takes
-- while the table is near empty (the compactor empties it every few seconds). Expecting a
-- handful of rows it chose a nested loop, and a fold of 1,000 deltas (4,000 counts)
-- compared 16 million pairs: 8 s in one transaction, during which no cursor feed or live
-- stream of any tenant moved on (they show a change only once every transaction begun
-- before it has ended), and an erasure's fold of a whole tenant took quadratic time.
--
-- Now the counts written and the changes are put together by grouping on the count's key,
-- which takes linear time whatever the planner expects. The result is the same: a count
-- that turns positive adds a group, one that stops being positive removes one.
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
