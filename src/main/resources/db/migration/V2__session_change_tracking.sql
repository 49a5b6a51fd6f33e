-- Where each session's latest change stands in commit order, for live streams that resume
-- without gaps: a reader only takes changes of transactions older than every transaction
-- still running (pg_snapshot_xmin), so nothing can commit later behind its position.
create sequence rv_session_change_seq;

alter table rv_session
    add column change_tx  xid8   not null default pg_current_xact_id(),
    add column change_seq bigint not null default nextval('rv_session_change_seq');

create index rv_session_changes on rv_session (tenant_id, change_tx, change_seq);
