-- One index per ordering key and direction, each ending in the feed's tie-breakers
-- (created_at desc, session_id), so a page is the first rows of an index scan and a deep
-- offset an index-only walk. Keys with many distinct values (updated_at, device_name) need
-- only one: the other direction reads it backwards and sorts each group of equal values.
-- Text keys are in code-point order, as the feed sorts them (COLLATE "C"); the state,
-- video_quality and created_by filters compare in the same collation so that they can use
-- these indexes too (equality is byte equality in every deterministic collation).
-- The default ordering uses rv_session_created (V1).

create index rv_session_updated on rv_session (tenant_id, updated_at desc, session_id);

create index rv_session_device_name on rv_session
    (tenant_id, device_name_lc collate "C", device_name collate "C", created_at desc, session_id);

create index rv_session_duration_asc on rv_session
    (tenant_id, duration_us asc nulls last, created_at desc, session_id);
create index rv_session_duration_desc on rv_session
    (tenant_id, duration_us desc nulls last, created_at desc, session_id);

create index rv_session_state_asc on rv_session
    (tenant_id, state collate "C" asc, created_at desc, session_id);
create index rv_session_state_desc on rv_session
    (tenant_id, state collate "C" desc, created_at desc, session_id);

create index rv_session_video_quality_asc on rv_session
    (tenant_id, video_quality collate "C" asc, created_at desc, session_id);
create index rv_session_video_quality_desc on rv_session
    (tenant_id, video_quality collate "C" desc, created_at desc, session_id);

create index rv_session_reason_asc on rv_session
    (tenant_id, reason_lc collate "C" asc nulls last, reason collate "C" asc nulls last, created_at desc, session_id);
create index rv_session_reason_desc on rv_session
    (tenant_id, reason_lc collate "C" desc nulls last, reason collate "C" desc nulls last, created_at desc, session_id);

create index rv_session_created_by_asc on rv_session
    (tenant_id, created_by_lc collate "C" asc nulls last, created_by collate "C" asc nulls last, created_at desc,
     session_id);
create index rv_session_created_by_desc on rv_session
    (tenant_id, created_by_lc collate "C" desc nulls last, created_by collate "C" desc nulls last, created_at desc,
     session_id);
