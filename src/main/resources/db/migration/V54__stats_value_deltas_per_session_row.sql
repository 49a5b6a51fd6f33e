-- The value deltas (V51) become one row per session change holding both the reason and the
-- console user, instead of one row for each: an update of a session's state appended four
-- rows, now two. The compactor makes both cells' changes from each row. A null value means
-- the row does not change that kind's cells: the pending rows of V51 are kept so, and an
-- erasure clears the value it drops from a row (Erasure).

create table rv_stats_value_change (
    tenant_id        uuid     not null,
    -- as rv_stats_value_cell.value: '' for none, else '=' and the value as stored
    reason_value     text,
    created_by_value text,
    state            text     not null,
    video_quality    text     not null,
    bin              smallint not null,
    n                bigint   not null,
    dur_sum          bigint   not null,
    added_max        bigint,
    removed_max      bigint
);

insert into rv_stats_value_change (tenant_id, reason_value, created_by_value, state, video_quality, bin, n, dur_sum,
                                   added_max, removed_max)
select tenant_id, case when kind = 'r' then value end, case when kind = 'c' then value end, state, video_quality, bin,
       n, dur_sum, added_max, removed_max
from rv_stats_value_delta;

drop trigger rv_stats_value_inserted on rv_session;
drop trigger rv_stats_value_updated on rv_session;
drop trigger rv_stats_value_deleted on rv_session;
drop function rv_stats_value_inserted();
drop function rv_stats_value_changed();
drop function rv_stats_value_deleted();
drop table rv_stats_value_delta;
alter table rv_stats_value_change rename to rv_stats_value_delta;

create index rv_stats_value_delta_tenant on rv_stats_value_delta (tenant_id);

alter table rv_stats_value_delta set (vacuum_truncate = false);

create function rv_stats_value_changed() returns trigger language plpgsql as $$
begin
    insert into rv_stats_value_delta (tenant_id, reason_value, created_by_value, state, video_quality, bin, n, dur_sum,
                                      added_max, removed_max)
    select tenant_id, reason_value, created_by_value, state, video_quality, rv_stats_bin(duration_us), sum(n),
           coalesce(sum(n * duration_us), 0),
           max(duration_us) filter (where n > 0), max(duration_us) filter (where n < 0)
    from (select tenant_id, coalesce('=' || reason, '') as reason_value,
                 coalesce('=' || created_by, '') as created_by_value, state, video_quality, duration_us, sum(n) as n
          from (select tenant_id, reason, created_by, state, video_quality, duration_us, 1 as n from new_rows
                union all
                select tenant_id, reason, created_by, state, video_quality, duration_us, -1 from old_rows) c
          group by 1, 2, 3, 4, 5, 6
          having sum(n) <> 0) net
    group by tenant_id, reason_value, created_by_value, state, video_quality, rv_stats_bin(duration_us);
    return null;
end
$$;

create function rv_stats_value_inserted() returns trigger language plpgsql as $$
begin
    insert into rv_stats_value_delta (tenant_id, reason_value, created_by_value, state, video_quality, bin, n, dur_sum,
                                      added_max, removed_max)
    select tenant_id, coalesce('=' || reason, ''), coalesce('=' || created_by, ''), state, video_quality,
           rv_stats_bin(duration_us), count(*), coalesce(sum(duration_us), 0), max(duration_us), null
    from new_rows
    group by 1, 2, 3, 4, 5, 6;
    return null;
end
$$;

create function rv_stats_value_deleted() returns trigger language plpgsql as $$
begin
    insert into rv_stats_value_delta (tenant_id, reason_value, created_by_value, state, video_quality, bin, n, dur_sum,
                                      added_max, removed_max)
    select tenant_id, coalesce('=' || reason, ''), coalesce('=' || created_by, ''), state, video_quality,
           rv_stats_bin(duration_us), -count(*), -coalesce(sum(duration_us), 0), null, max(duration_us)
    from old_rows
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
