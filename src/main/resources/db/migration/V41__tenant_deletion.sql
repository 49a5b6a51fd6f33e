-- Tenant deletion (DELETE /admin/tenants/{id}): the tenant is marked at once (the admin API
-- then treats it as gone and its keys are revoked in the same transaction), and a job
-- deletes its rows from every table with a tenant_id column, in batches, the tenant row
-- itself last.
alter table tenant add column deletion_requested_at timestamptz;

-- Background jobs of the data lifecycle, pollable by the admin. The tenant is in
-- target_tenant, not tenant_id, so that the job outlives the tenant's deletion.
create table lifecycle_job (
    job_id        uuid        primary key,
    kind          text        not null check (kind in ('tenant_deletion')),
    target_tenant uuid        not null,
    state         text        not null check (state in ('running', 'done')),
    requested_at  timestamptz not null default now(),
    requested_by  text        not null,
    updated_at    timestamptz not null default now(),
    finished_at   timestamptz,
    rows_deleted  bigint      not null default 0,
    -- the last failure (the job is retried), null once it succeeds
    last_error    text
);

-- one deletion per tenant: asking again answers the same job
create unique index lifecycle_job_one_deletion on lifecycle_job (target_tenant) where kind = 'tenant_deletion';
create index lifecycle_job_running on lifecycle_job (state, requested_at) where state = 'running';
