-- Fewer index entries per session written for the statistics (issue 19's write budget).
-- rv_session's updates are never HOT (each changes an indexed column), so every index gets an
-- entry for every version of a session: the four indexes kept only for the statistics (V52's
-- two covering ones, V58's two partial ones) cost 14 entries over a session's life, most of
-- them at random places of large indexes. Measured in docs/performance.md (V60).
--
-- 1. The feed's index by device name (V5) carries each session's state and duration, and the
--    statistics measure the top device names' sessions from it (index-only): the covering
--    index by device name, with its four entries per session, goes.
-- 2. One partial index for the sessions in the states a session passes through, by state and
--    device id with the device name carried: a state's devices by id are counted in the
--    index's order, by name from the same entries (hashed); the index by name goes.

-- both built first (writes wait, reads go on), then the old ones dropped: a drop locks the table
-- against reads too until the migration commits
create index rv_session_device_name_v60 on rv_session
    (tenant_id, device_name_lc collate "C", device_name collate "C", created_at desc, session_id)
    include (state, duration_us);
create index rv_session_live_devices on rv_session (tenant_id, state, device_id) include (device_name)
    where state in ('INITIATED', 'ACKNOWLEDGED', 'ACTIVE');

drop index rv_session_device_name;
alter index rv_session_device_name_v60 rename to rv_session_device_name;
drop index rv_session_device_name_durations;
drop index rv_session_live_device_names;
drop index rv_session_live_device_ids;
