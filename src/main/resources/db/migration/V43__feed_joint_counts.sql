-- Exact counts for combinations of the feed's filters without counting rows (issue 20).
-- V4 keeps counts per state and quality, V7 per single facet; a query with two or more
-- filters besides state and quality counted its rows (1.2 s for three filters on a
-- 2 M-session tenant). Here sessions are counted jointly per tenant x state x quality x
-- reason x UTC day of created_at x UTC day of updated_at x duration bucket: measured on
-- the benchmark's big tenant, about 110,000 cells for 1.9 M sessions, summed in 15-20 ms.
-- A time or duration bound that cuts a bucket counts that bucket's rows only
-- (io.rvfeed.feed.JointCounts). Device name and console user are left out: with them the
-- cells would be nearly as many as the sessions, and the feed finds one name's or user's
-- sessions through their own indexes.
--
-- Kept like V4's: statement triggers append signed deltas, the compactor folds them.

create table rv_session_joint_count (
    tenant_id       uuid     not null,
    state           text     not null,
    video_quality   text     not null,
    -- reason_lc, or '' for none: no reason filter (a non-empty substring) matches it
    reason_lc       text     not null,
    -- UTC days since 1970, as V7's created_day and updated_day
    created_day     integer  not null,
    updated_day     integer  not null,
    -- rv_session_duration_bucket(duration_us); -1 while there is no duration
    duration_bucket smallint not null,
    n               bigint   not null,
    primary key (tenant_id, state, video_quality, reason_lc, created_day, updated_day, duration_bucket)
);

create table rv_session_joint_delta (
    tenant_id       uuid     not null,
    state           text     not null,
    video_quality   text     not null,
    reason_lc       text     not null,
    created_day     integer  not null,
    updated_day     integer  not null,
    duration_bucket smallint not null,
    n               bigint   not null
);

create index rv_session_joint_delta_key
    on rv_session_joint_delta (tenant_id, state, video_quality, reason_lc, created_day, updated_day, duration_bucket);

-- a queue, as V9 explains for the other delta tables
alter table rv_session_joint_delta set (vacuum_truncate = false);

-- Duration buckets with their lower bounds at the durations people filter by (1 s, 5 s,
-- 10 s, 30 s, 1 min, 2, 5, 10, 15, 30 min, 1, 2, 4, 8, 12 h, 1, 2, 7 days), so that such
-- a bound cuts no bucket. Bucket i holds [bound i, bound i+1); io.rvfeed.feed.JointCounts
-- has the same bounds.
create function rv_session_duration_bucket(duration_us bigint) returns smallint
language sql immutable parallel safe as $$
    select coalesce(width_bucket(duration_us, array[0, 1000000, 5000000, 10000000, 30000000, 60000000,
        120000000, 300000000, 600000000, 900000000, 1800000000, 3600000000, 7200000000, 14400000000,
        28800000000, 43200000000, 86400000000, 172800000000, 604800000000]::bigint[]), -1)::smallint
$$;

create function rv_session_joint_inserted() returns trigger language plpgsql as $$
begin
    insert into rv_session_joint_delta (tenant_id, state, video_quality, reason_lc, created_day, updated_day,
                                        duration_bucket, n)
    select tenant_id, state, video_quality, coalesce(reason_lc, ''),
           floor(extract(epoch from created_at) / 86400)::integer,
           floor(extract(epoch from updated_at) / 86400)::integer,
           rv_session_duration_bucket(duration_us), count(*)
    from new_rows
    group by 1, 2, 3, 4, 5, 6, 7;
    return null;
end
$$;

create function rv_session_joint_updated() returns trigger language plpgsql as $$
begin
    insert into rv_session_joint_delta (tenant_id, state, video_quality, reason_lc, created_day, updated_day,
                                        duration_bucket, n)
    select tenant_id, state, video_quality, coalesce(reason_lc, ''),
           floor(extract(epoch from created_at) / 86400)::integer,
           floor(extract(epoch from updated_at) / 86400)::integer,
           rv_session_duration_bucket(duration_us), sum(n)
    from (select tenant_id, state, video_quality, reason_lc, created_at, updated_at, duration_us, 1 as n
          from new_rows
          union all
          select tenant_id, state, video_quality, reason_lc, created_at, updated_at, duration_us, -1
          from old_rows) changes
    group by 1, 2, 3, 4, 5, 6, 7
    having sum(n) <> 0;
    return null;
end
$$;

create function rv_session_joint_deleted() returns trigger language plpgsql as $$
begin
    insert into rv_session_joint_delta (tenant_id, state, video_quality, reason_lc, created_day, updated_day,
                                        duration_bucket, n)
    select tenant_id, state, video_quality, coalesce(reason_lc, ''),
           floor(extract(epoch from created_at) / 86400)::integer,
           floor(extract(epoch from updated_at) / 86400)::integer,
           rv_session_duration_bucket(duration_us), -count(*)
    from old_rows
    group by 1, 2, 3, 4, 5, 6, 7;
    return null;
end
$$;

create trigger rv_session_joint_inserted after insert on rv_session
    referencing new table as new_rows for each statement execute function rv_session_joint_inserted();
create trigger rv_session_joint_updated after update on rv_session
    referencing old table as old_rows new table as new_rows for each statement execute function rv_session_joint_updated();
create trigger rv_session_joint_deleted after delete on rv_session
    referencing old table as old_rows for each statement execute function rv_session_joint_deleted();

insert into rv_session_joint_count (tenant_id, state, video_quality, reason_lc, created_day, updated_day,
                                    duration_bucket, n)
select tenant_id, state, video_quality, coalesce(reason_lc, ''),
       floor(extract(epoch from created_at) / 86400)::integer,
       floor(extract(epoch from updated_at) / 86400)::integer,
       rv_session_duration_bucket(duration_us), count(*)
from rv_session
group by 1, 2, 3, 4, 5, 6, 7;
