-- Exact feed counts per tenant x state x video_quality without counting rows. Writers never
-- update a shared counter row (that would serialise every write of a big tenant on it):
-- statement triggers append signed deltas, which readers add to the compacted counts in
-- the same snapshot, and a compactor folds the deltas into the counts in one transaction.
-- A snapshot therefore sees either a delta or its effect on the count, never both or
-- neither, so the sum always equals count(*) of rv_session in that snapshot.

create table rv_session_count (
    tenant_id     uuid   not null,
    state         text   not null,
    video_quality text   not null,
    n             bigint not null,
    primary key (tenant_id, state, video_quality)
);

create table rv_session_count_delta (
    tenant_id     uuid   not null,
    state         text   not null,
    video_quality text   not null,
    n             bigint not null
);

create index rv_session_count_delta_key on rv_session_count_delta (tenant_id, state, video_quality);

create function rv_session_count_inserted() returns trigger language plpgsql as $$
begin
    insert into rv_session_count_delta (tenant_id, state, video_quality, n)
    select tenant_id, state, video_quality, count(*) from new_rows group by tenant_id, state, video_quality;
    return null;
end
$$;

create function rv_session_count_updated() returns trigger language plpgsql as $$
begin
    insert into rv_session_count_delta (tenant_id, state, video_quality, n)
    select tenant_id, state, video_quality, sum(n)
    from (select tenant_id, state, video_quality, 1 as n from new_rows
          union all
          select tenant_id, state, video_quality, -1 from old_rows) changes
    group by tenant_id, state, video_quality
    having sum(n) <> 0;
    return null;
end
$$;

create function rv_session_count_deleted() returns trigger language plpgsql as $$
begin
    insert into rv_session_count_delta (tenant_id, state, video_quality, n)
    select tenant_id, state, video_quality, -count(*) from old_rows group by tenant_id, state, video_quality;
    return null;
end
$$;

create trigger rv_session_count_inserted after insert on rv_session
    referencing new table as new_rows for each statement execute function rv_session_count_inserted();
create trigger rv_session_count_updated after update on rv_session
    referencing old table as old_rows new table as new_rows for each statement execute function rv_session_count_updated();
create trigger rv_session_count_deleted after delete on rv_session
    referencing old table as old_rows for each statement execute function rv_session_count_deleted();

insert into rv_session_count (tenant_id, state, video_quality, n)
select tenant_id, state, video_quality, count(*) from rv_session group by tenant_id, state, video_quality;
