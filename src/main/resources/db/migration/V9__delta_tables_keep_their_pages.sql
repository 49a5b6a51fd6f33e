-- The counters' delta tables (V4, V7) are queues: every write appends to them and the
-- compactor deletes what it folds, then vacuums them. A vacuum ends by truncating the
-- table's empty tail, which takes an ACCESS EXCLUSIVE lock: under steady writes it kept
-- retrying to get it, for up to 5 seconds a time (measured: vacuums of these few-MB tables
-- taking 0.5-2.5 s during ingest), and once it had it, writers waited behind it. The
-- pages are reused at once anyway.

alter table rv_session_count_delta set (vacuum_truncate = false);
alter table rv_session_facet_delta set (vacuum_truncate = false);
