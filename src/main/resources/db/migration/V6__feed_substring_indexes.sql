-- The substring filters (reason, device_name: LIKE '%term%' on the folded *_lc columns) cannot
-- seek in a btree, so their counts read every index entry of the tenant. A trigram GIN index,
-- led by tenant_id (btree_gin), finds the rows that contain a term's trigrams: a selective term
-- ("kiosk-12", "offline") is counted from a few thousand candidate rows. For a term that
-- matches much of the tenant the planner keeps to the btree indexes. Both extensions are
-- trusted (PostgreSQL 13+): a database owner may create them.

create extension if not exists pg_trgm;
create extension if not exists btree_gin;

create index if not exists rv_session_device_name_trgm on rv_session using gin (tenant_id, device_name_lc gin_trgm_ops);
create index if not exists rv_session_reason_trgm on rv_session using gin (tenant_id, reason_lc gin_trgm_ops);
