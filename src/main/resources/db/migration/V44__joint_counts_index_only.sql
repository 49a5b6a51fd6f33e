-- The joint counts (V43) of one tenant are read whole: every query sums the cells of its
-- tenant that match. Through the primary key the cells of a big tenant lay scattered over
-- the table (measured on the benchmark's 2 M-session tenant: 113,471 cells on 17,301 heap
-- pages, 123 ms); a covering index answers from the index alone (18 ms, no heap fetch).
create index if not exists rv_session_joint_count_cells
    on rv_session_joint_count (tenant_id) include (state, video_quality, reason_lc, created_day, updated_day,
                                                   duration_bucket, n);
