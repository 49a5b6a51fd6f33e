-- The admin audit log: one row per administrative action (tenants, keys, limits, retention,
-- deletion, erasure, and whatever later features record through io.rvfeed.audit.AuditLog),
-- written in the transaction of the action itself where there is one.
--
-- The tenant an entry concerns is in target_tenant, deliberately not in a column named
-- tenant_id: deleting a tenant removes every row of every table with a tenant_id column,
-- and the record that the tenant was deleted (and by whom) must outlive it.
create table admin_audit (
    audit_id       bigint      generated always as identity primary key,
    occurred_at    timestamptz not null default clock_timestamp(),
    -- who: 'admin-token' (the admin API), 'cli:<os user>', 'system:<component>', or an API key's id
    actor          text        not null,
    -- the X-Caller-Id an admin client named (the person behind the shared token), if any
    on_behalf_of   text,
    source         text        not null check (source in ('admin-api', 'cli', 'system', 'api')),
    action         text        not null,
    target_tenant  uuid,
    target         text        not null,
    outcome        text        not null check (outcome in ('succeeded', 'refused', 'failed')),
    detail         jsonb       not null default '{}'::jsonb,
    request_id     text,
    client_address text
);

create index admin_audit_by_tenant on admin_audit (target_tenant, audit_id);

-- Append-only: no statement of the service changes or removes an entry, and the database
-- refuses anyone else's (short of the table owner dropping the trigger, which itself
-- needs DDL rights that the service's role should not have in production).
create function admin_audit_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'admin_audit is append-only: % is not allowed', tg_op
        using errcode = 'insufficient_privilege';
end
$$;

create trigger admin_audit_no_update_or_delete before update or delete on admin_audit
    for each row execute function admin_audit_append_only();
create trigger admin_audit_no_truncate before truncate on admin_audit
    for each statement execute function admin_audit_append_only();
