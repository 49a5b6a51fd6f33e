-- The statistics cells (V50, V51) and device counts (V52) made again from the sessions after
-- the bulk load: the load's deltas are dropped and every cell computed from the rows (their
-- migrations' initial fills).
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
       coalesce(string_agg(int2send(bin) || int4send(n::integer), ''::bytea order by bin) filter (where bin >= 0),
                ''::bytea)
from (select tenant_id, k.kind, k.value, state, video_quality, rv_stats_bin(duration_us) as bin, count(*) as n,
             sum(duration_us) as dur_sum, max(duration_us) as dur_max
      from rv_session r
      cross join lateral (values ('r', coalesce('=' || r.reason, '')),
                                 ('c', coalesce('=' || r.created_by, ''))) k (kind, value)
      group by 1, 2, 3, 4, 5, 6) bins
group by tenant_id, kind, value, state, video_quality;
delete from rv_stats_device_delta;
delete from rv_stats_device_count;
delete from rv_stats_device_groups;
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
