-- Where each event stands in commit order, for the events feed (GET /api/v2/rv-session-events/)
-- read by cursor: the position of an event is (change_tx, arrival), and a reader only takes
-- events of transactions older than every running one (pg_snapshot_xmin), as for the session
-- changes of V2, so nothing can commit later behind a position already read.
--
-- Cheap on a big table: a column added with a constant default is only recorded in the
-- catalog (existing rows read the default, no rewrite), and SET DEFAULT applies to new rows
-- only. Adding it with pg_current_xact_id() as its default straight away (volatile) would
-- rewrite every row under an exclusive lock. Events recorded before this migration get
-- transaction 0: they come first, in arrival order.
alter table rv_session_event add column if not exists change_tx xid8 not null default '0';
alter table rv_session_event alter column change_tx set default pg_current_xact_id();

-- The feed's order within a tenant. Building it reads the table once and writes wait
-- meanwhile; nothing is rewritten. An operator who must not pause writes creates it first with
-- CREATE INDEX CONCURRENTLY (docs/operations.md), and this then leaves it as it is.
create index if not exists rv_session_event_positions on rv_session_event (tenant_id, change_tx, arrival);
