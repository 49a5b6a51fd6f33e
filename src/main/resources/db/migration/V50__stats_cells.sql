-- Statistics kept on write (issue 19). Reading a 2 M-session tenant's rows for every
-- statistics request took 5-10 s; these cells hold, per tenant x UTC hour, day and month
-- of created_at x state x video_quality, what the metrics need: sessions, sessions with a
-- duration, the duration sum and maximum, and a log-scale histogram of the durations
-- (bins 2 % wide, so a percentile read from it is within 1 % of the exact one).
-- io.rvfeed.stats.StatsCells answers from them: a time bucket in any zone whose offsets
-- are whole hours is a sum of month, day and hour cells (signed: a Berlin day is the UTC
-- day plus one hour before it minus its last hour), a created_at bound inside an hour
-- reads that hour's rows.
--
-- Kept like V4's counts: statement triggers append signed deltas per hour, and
-- io.rvfeed.stats.StatsCellCompactor folds them into the hour, day and month cells.

-- The histogram bin of a duration: 0 for none long (0 us), else 1 + floor(log base 1.02);
-- -1 for no duration. io.rvfeed.stats.DurationHistogram reads the bins back.
create function rv_stats_bin(duration_us bigint) returns smallint
language sql immutable parallel safe as $$
    select case when duration_us is null then -1
                when duration_us <= 0 then 0
                else 1 + floor(ln(duration_us::double precision) / ln(1.02::double precision)) end::smallint
$$;

create table rv_stats_cell (
    tenant_id     uuid        not null,
    -- 'h', 'd' or 'm': the UTC hour, day or month starting at period
    grain         char(1)     not null,
    period        timestamptz not null,
    state         text        not null,
    video_quality text        not null,
    n             bigint      not null,
    -- sessions with a duration, their sum and the longest (null without any)
    dur_n         bigint      not null,
    dur_sum       bigint      not null,
    dur_max       bigint,
    -- the durations' bins: per non-empty bin, ascending, int2 bin then int4 count (big-endian)
    hist          bytea       not null,
    primary key (tenant_id, grain, period, state, video_quality)
);

create table rv_stats_delta (
    tenant_id     uuid        not null,
    hour          timestamptz not null,
    state         text        not null,
    video_quality text        not null,
    bin           smallint    not null,
    n             bigint      not null,
    dur_sum       bigint      not null,
    -- the longest duration added in this bin, and the longest removed from it
    added_max     bigint,
    removed_max   bigint
);

create index rv_stats_delta_hour on rv_stats_delta (tenant_id, hour);

-- a queue, as V9 explains for the other delta tables
alter table rv_stats_delta set (vacuum_truncate = false);

-- Net changes per exact duration first, so that an update that leaves a session's hour,
-- state, quality and duration as they were adds nothing.
create function rv_stats_changed() returns trigger language plpgsql as $$
begin
    insert into rv_stats_delta (tenant_id, hour, state, video_quality, bin, n, dur_sum, added_max, removed_max)
    select tenant_id, hour, state, video_quality, rv_stats_bin(duration_us), sum(n),
           coalesce(sum(n * duration_us), 0),
           max(duration_us) filter (where n > 0), max(duration_us) filter (where n < 0)
    from (select tenant_id, date_trunc('hour', created_at, 'UTC') as hour, state, video_quality, duration_us,
                 sum(n) as n
          from (select tenant_id, created_at, state, video_quality, duration_us, 1 as n from new_rows
                union all
                select tenant_id, created_at, state, video_quality, duration_us, -1 from old_rows) c
          group by 1, 2, 3, 4, 5
          having sum(n) <> 0) net
    group by tenant_id, hour, state, video_quality, rv_stats_bin(duration_us);
    return null;
end
$$;

create function rv_stats_inserted() returns trigger language plpgsql as $$
begin
    insert into rv_stats_delta (tenant_id, hour, state, video_quality, bin, n, dur_sum, added_max, removed_max)
    select tenant_id, date_trunc('hour', created_at, 'UTC'), state, video_quality, rv_stats_bin(duration_us),
           count(*), coalesce(sum(duration_us), 0), max(duration_us), null
    from new_rows
    group by 1, 2, 3, 4, 5;
    return null;
end
$$;

create function rv_stats_deleted() returns trigger language plpgsql as $$
begin
    insert into rv_stats_delta (tenant_id, hour, state, video_quality, bin, n, dur_sum, added_max, removed_max)
    select tenant_id, date_trunc('hour', created_at, 'UTC'), state, video_quality, rv_stats_bin(duration_us),
           -count(*), -coalesce(sum(duration_us), 0), null, max(duration_us)
    from old_rows
    group by 1, 2, 3, 4, 5;
    return null;
end
$$;

create trigger rv_stats_inserted after insert on rv_session
    referencing new table as new_rows for each statement execute function rv_stats_inserted();
create trigger rv_stats_updated after update on rv_session
    referencing old table as old_rows new table as new_rows for each statement execute function rv_stats_changed();
create trigger rv_stats_deleted after delete on rv_session
    referencing old table as old_rows for each statement execute function rv_stats_deleted();

-- The cells of the sessions already there (bench/stats-cells.sql repeats it for the bench
-- generator).
insert into rv_stats_cell (tenant_id, grain, period, state, video_quality, n, dur_n, dur_sum, dur_max, hist)
select tenant_id, grain, period, state, video_quality, sum(n), coalesce(sum(n) filter (where bin >= 0), 0),
       coalesce(sum(dur_sum), 0), max(dur_max),
       coalesce(string_agg(int2send(bin) || int4send(n::integer), ''::bytea order by bin) filter (where bin >= 0),
                ''::bytea)
from (select tenant_id, g.grain, date_trunc(g.unit, created_at, 'UTC') as period, state, video_quality,
             rv_stats_bin(duration_us) as bin, count(*) as n, sum(duration_us) as dur_sum,
             max(duration_us) as dur_max
      from rv_session
      cross join (values ('h', 'hour'), ('d', 'day'), ('m', 'month')) g (grain, unit)
      group by 1, 2, 3, 4, 5, 6) bins
group by tenant_id, grain, period, state, video_quality;
