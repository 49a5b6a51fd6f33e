-- A batch's update of its sessions appends its facet deltas in one statement, not one per
-- session. V8's row trigger ran its function and its insert once for every session whose
-- facet values changed: at the end of a session (its duration set) that is every session of
-- a batch, about 29 µs each, a tenth of the batch's update (docs/performance.md, V62).
--
-- A transaction that sets rvfeed.facet_deltas to 'per_statement' (SessionRepository.applyAll)
-- has its updates' facet deltas appended by the statement trigger below, over the update's
-- transition tables, and V8's row trigger skips its rows. Any other update keeps V8's row
-- trigger, which is skipped without a call when no facet value changes (most single events),
-- and the statement trigger returns at once. Exactly one of the two counts each row.

create function rv_session_facet_updated_together() returns trigger language plpgsql as $$
begin
    if current_setting('rvfeed.facet_deltas', true) is distinct from 'per_statement' then
        return null;
    end if;
    -- a row whose facet values are those of its old version adds nothing: both are left out
    with unchanged as materialized (
        select n.tenant_id, n.session_id
        from new_rows n
        join old_rows o on o.tenant_id = n.tenant_id and o.session_id = n.session_id
        -- V8's condition
        where (o.reason_lc, o.device_name_lc, o.created_by_lc, o.created_at, o.duration_us,
               date_trunc('day', o.updated_at at time zone 'UTC'))
              is not distinct from
              (n.reason_lc, n.device_name_lc, n.created_by_lc, n.created_at, n.duration_us,
               date_trunc('day', n.updated_at at time zone 'UTC')))
    insert into rv_session_facet_delta (tenant_id, facet, bucket, value, n)
    select s.tenant_id, f.facet, f.bucket, f.value, sum(s.n)
    from (select n.tenant_id, n.reason_lc, n.device_name_lc, n.created_by_lc, n.created_at, n.updated_at,
                 n.duration_us, 1 as n
          from new_rows n
          where not exists (select 1 from unchanged u where u.tenant_id = n.tenant_id and u.session_id = n.session_id)
          union all
          select o.tenant_id, o.reason_lc, o.device_name_lc, o.created_by_lc, o.created_at, o.updated_at,
                 o.duration_us, -1
          from old_rows o
          where not exists (select 1 from unchanged u where u.tenant_id = o.tenant_id and u.session_id = o.session_id)) s,
         rv_session_facets(s.reason_lc, s.device_name_lc, s.created_by_lc, s.created_at, s.updated_at, s.duration_us) f
    group by s.tenant_id, f.facet, f.bucket, f.value
    having sum(s.n) <> 0;
    return null;
end
$$;

create trigger rv_session_facet_updated_together after update on rv_session
    referencing old table as old_rows new table as new_rows
    for each statement execute function rv_session_facet_updated_together();

-- V8's, skipped in a transaction whose updates count their facets per statement
drop trigger rv_session_facet_updated on rv_session;
create trigger rv_session_facet_updated after update on rv_session for each row
    when (current_setting('rvfeed.facet_deltas', true) is distinct from 'per_statement'
          and (old.tenant_id is distinct from new.tenant_id
               or old.reason_lc is distinct from new.reason_lc
               or old.device_name_lc is distinct from new.device_name_lc
               or old.created_by_lc is distinct from new.created_by_lc
               or old.created_at is distinct from new.created_at
               or old.duration_us is distinct from new.duration_us
               -- the same UTC day as rv_session_facets' updated_day bucket
               or date_trunc('day', old.updated_at at time zone 'UTC')
                  is distinct from date_trunc('day', new.updated_at at time zone 'UTC')))
    execute function rv_session_facet_updated();
