-- Exact counts for the feed's other single filters, kept on write like V4's: sessions per
-- tenant and facet value. Text facets (reason, device_name, created_by) count the
-- case-folded value, so a substring or equality filter adds up the matching values
-- instead of reading every matching session (a tenant has far fewer device names, reasons
-- and console users than sessions). Range facets count per bucket (created_day and
-- updated_day: UTC days since 1970; duration_s: whole seconds), so a range adds up its
-- whole buckets and counts only the sessions of the one or two buckets at its edges.
-- NULL values are not counted: no filter matches them.
--
-- Not split by state and video quality: then a session's facet values only change when
-- the value itself does (its end sets the duration and maybe the reason, a write on
-- another day moves updated_day), so most writes add no delta at all.

create table rv_session_facet_count (
    tenant_id uuid   not null,
    facet     text   not null,
    bucket    bigint not null,  -- range facets; 0 for text facets
    value     text   not null,  -- text facets; '' for range facets
    n         bigint not null,
    primary key (tenant_id, facet, bucket, value)
);

create table rv_session_facet_delta (
    tenant_id uuid   not null,
    facet     text   not null,
    bucket    bigint not null,
    value     text   not null,
    n         bigint not null
);

create index rv_session_facet_delta_key on rv_session_facet_delta (tenant_id, facet, bucket, value);

-- The facet values of one session. The bucket arithmetic is exact (numeric), and
-- FeedFacets computes the same buckets in Java.
create function rv_session_facets(reason_lc text, device_name_lc text, created_by_lc text,
                                  created_at timestamptz, updated_at timestamptz, duration_us bigint)
returns table (facet text, bucket bigint, value text) language sql stable as $$
    select f.facet, f.bucket, f.value
    from (values ('reason', 0::bigint, reason_lc),
                 ('device_name', 0, device_name_lc),
                 ('created_by', 0, created_by_lc),
                 ('created_day', floor(extract(epoch from created_at) / 86400)::bigint, ''),
                 ('updated_day', floor(extract(epoch from updated_at) / 86400)::bigint, ''),
                 ('duration_s', floor(duration_us / 1000000.0)::bigint, '')) f (facet, bucket, value)
    where f.bucket is not null and f.value is not null
$$;

create function rv_session_facet_inserted() returns trigger language plpgsql as $$
begin
    insert into rv_session_facet_delta (tenant_id, facet, bucket, value, n)
    select s.tenant_id, f.facet, f.bucket, f.value, count(*)
    from new_rows s,
         rv_session_facets(s.reason_lc, s.device_name_lc, s.created_by_lc, s.created_at, s.updated_at, s.duration_us) f
    group by s.tenant_id, f.facet, f.bucket, f.value;
    return null;
end
$$;

create function rv_session_facet_updated() returns trigger language plpgsql as $$
begin
    insert into rv_session_facet_delta (tenant_id, facet, bucket, value, n)
    select s.tenant_id, f.facet, f.bucket, f.value, sum(s.n)
    from (select tenant_id, reason_lc, device_name_lc, created_by_lc, created_at, updated_at, duration_us, 1 as n
          from new_rows
          union all
          select tenant_id, reason_lc, device_name_lc, created_by_lc, created_at, updated_at, duration_us, -1
          from old_rows) s,
         rv_session_facets(s.reason_lc, s.device_name_lc, s.created_by_lc, s.created_at, s.updated_at, s.duration_us) f
    group by s.tenant_id, f.facet, f.bucket, f.value
    having sum(s.n) <> 0;
    return null;
end
$$;

create function rv_session_facet_deleted() returns trigger language plpgsql as $$
begin
    insert into rv_session_facet_delta (tenant_id, facet, bucket, value, n)
    select s.tenant_id, f.facet, f.bucket, f.value, -count(*)
    from old_rows s,
         rv_session_facets(s.reason_lc, s.device_name_lc, s.created_by_lc, s.created_at, s.updated_at, s.duration_us) f
    group by s.tenant_id, f.facet, f.bucket, f.value;
    return null;
end
$$;

create trigger rv_session_facet_inserted after insert on rv_session
    referencing new table as new_rows for each statement execute function rv_session_facet_inserted();
create trigger rv_session_facet_updated after update on rv_session
    referencing old table as old_rows new table as new_rows for each statement execute function rv_session_facet_updated();
create trigger rv_session_facet_deleted after delete on rv_session
    referencing old table as old_rows for each statement execute function rv_session_facet_deleted();

insert into rv_session_facet_count (tenant_id, facet, bucket, value, n)
select s.tenant_id, f.facet, f.bucket, f.value, count(*)
from rv_session s,
     rv_session_facets(s.reason_lc, s.device_name_lc, s.created_by_lc, s.created_at, s.updated_at, s.duration_us) f
group by s.tenant_id, f.facet, f.bucket, f.value;
