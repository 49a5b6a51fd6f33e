-- Reads of the joint counts (V43) that a leading filter narrows. V44's covering index reads
-- every cell of the tenant and filters them (the benchmark's 2 M-session tenant has 113,471
-- cells: 11-19 ms a read, single-client). With states or qualities the cells of just those are
-- read (in collation "C", as the feed's conditions compare them); with an updated_at range just
-- the cells of those days, and PageWindow's reads for pages of recent updates are a few days'
-- cells. Measured single-client on that tenant: `combined` (states, quality, reason) 24 -> 14
-- ms, `reason=console&states=ACTIVE,ACKNOWLEDGED` 0.5 ms, `updated_at_gte` a week with two more
-- filters 25 -> 2.3 ms, `updated_at_lt` eight months with reason 9 ms.
create index if not exists rv_session_joint_count_by_state
    on rv_session_joint_count (tenant_id, state collate "C", video_quality collate "C")
    include (reason_lc, created_day, updated_day, duration_bucket, n);

create index if not exists rv_session_joint_count_by_update
    on rv_session_joint_count (tenant_id, updated_day)
    include (state, video_quality, reason_lc, created_day, duration_bucket, n);
