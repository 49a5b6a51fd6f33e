-- Statistics by reason and by console user kept on write (issue 19), as V50 keeps them by
-- time: per tenant x value x state x video_quality, over all time. A request grouped by
-- reason or created_by (with state or quality) and filtered on states or qualities only
-- adds up these cells; anything else reads the rows. Device names and ids are left out:
-- with about as many values as sessions the cells would gain nothing.

create table rv_stats_value_cell (
    tenant_id     uuid   not null,
    -- 'r' for reason, 'c' for created_by
    kind          char(1) not null,
    -- '' for none (null), else '=' and the value as stored (case kept)
    value         text   not null,
    state         text   not null,
    video_quality text   not null,
    n             bigint not null,
    dur_n         bigint not null,
    dur_sum       bigint not null,
    dur_max       bigint,
    hist          bytea  not null,
    primary key (tenant_id, kind, value, state, video_quality)
);

create table rv_stats_value_delta (
    tenant_id     uuid     not null,
    kind          char(1)  not null,
    value         text     not null,
    state         text     not null,
    video_quality text     not null,
    bin           smallint not null,
    n             bigint   not null,
    dur_sum       bigint   not null,
    added_max     bigint,
    removed_max   bigint
);

create index rv_stats_value_delta_kind on rv_stats_value_delta (tenant_id, kind);

alter table rv_stats_value_delta set (vacuum_truncate = false);

create function rv_stats_value_changed() returns trigger language plpgsql as $$
begin
    insert into rv_stats_value_delta (tenant_id, kind, value, state, video_quality, bin, n, dur_sum, added_max,
                                      removed_max)
    select tenant_id, kind, value, state, video_quality, rv_stats_bin(duration_us), sum(n),
           coalesce(sum(n * duration_us), 0),
           max(duration_us) filter (where n > 0), max(duration_us) filter (where n < 0)
    from (select tenant_id, k.kind, k.value, state, video_quality, duration_us, sum(n) as n
          from (select tenant_id, reason, created_by, state, video_quality, duration_us, 1 as n from new_rows
                union all
                select tenant_id, reason, created_by, state, video_quality, duration_us, -1 from old_rows) c
          cross join lateral (values ('r', coalesce('=' || c.reason, '')),
                                     ('c', coalesce('=' || c.created_by, ''))) k (kind, value)
          group by 1, 2, 3, 4, 5, 6
          having sum(n) <> 0) net
    group by tenant_id, kind, value, state, video_quality, rv_stats_bin(duration_us);
    return null;
end
$$;

create function rv_stats_value_inserted() returns trigger language plpgsql as $$
begin
    insert into rv_stats_value_delta (tenant_id, kind, value, state, video_quality, bin, n, dur_sum, added_max,
                                      removed_max)
    select tenant_id, k.kind, k.value, state, video_quality, rv_stats_bin(duration_us), count(*),
           coalesce(sum(duration_us), 0), max(duration_us), null
    from new_rows r
    cross join lateral (values ('r', coalesce('=' || r.reason, '')),
                               ('c', coalesce('=' || r.created_by, ''))) k (kind, value)
    group by 1, 2, 3, 4, 5, 6;
    return null;
end
$$;

create function rv_stats_value_deleted() returns trigger language plpgsql as $$
begin
    insert into rv_stats_value_delta (tenant_id, kind, value, state, video_quality, bin, n, dur_sum, added_max,
                                      removed_max)
    select tenant_id, k.kind, k.value, state, video_quality, rv_stats_bin(duration_us), -count(*),
           -coalesce(sum(duration_us), 0), null, max(duration_us)
    from old_rows r
    cross join lateral (values ('r', coalesce('=' || r.reason, '')),
                               ('c', coalesce('=' || r.created_by, ''))) k (kind, value)
    group by 1, 2, 3, 4, 5, 6;
    return null;
end
$$;

create trigger rv_stats_value_inserted after insert on rv_session
    referencing new table as new_rows for each statement execute function rv_stats_value_inserted();
create trigger rv_stats_value_updated after update on rv_session
    referencing old table as old_rows new table as new_rows for each statement
    execute function rv_stats_value_changed();
create trigger rv_stats_value_deleted after delete on rv_session
    referencing old table as old_rows for each statement execute function rv_stats_value_deleted();

-- The cells of the sessions already there (bench/stats-cells.sql repeats it for the bench
-- generator).
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
