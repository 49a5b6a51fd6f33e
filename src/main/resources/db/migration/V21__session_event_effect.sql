-- What each event did to its session (applied, earlier_stage, repeated_stage) and the
-- session's state after it, as the write path decided them, for the events feed. Kept rather
-- than derived on read: deriving them reads each event's earlier events of its session, an
-- index scan per record (~0.06 ms each: a page of 100 took 6-14 ms instead of 1-2, and a
-- reader following the whole feed was held to ~15,000 events/s by it).
--
-- Nullable without a default, so adding them is a catalog change only (no rewrite, no scan);
-- events recorded before this migration keep null and the events feed derives theirs (the same
-- rule: the state after an event is the highest stage among its session's events that arrived
-- up to it). The checks are NOT VALID: they hold for new rows without scanning old ones.
alter table rv_session_event
    add column if not exists effect        text,
    add column if not exists session_state text;

alter table rv_session_event
    add constraint rv_session_event_effect_known
        check (effect in ('applied', 'earlier_stage', 'repeated_stage')) not valid,
    add constraint rv_session_event_session_state_known
        check (session_state in ('INITIATED', 'ACKNOWLEDGED', 'ACTIVE', 'TERMINATED', 'FAILED')) not valid;
