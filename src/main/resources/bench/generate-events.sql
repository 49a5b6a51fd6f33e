-- The timeline behind each bench session, derived from its row so that folding the events
-- gives the row again: INITIATED, then ACKNOWLEDGED, ACTIVE and the end as far as it got. Each
-- moves the session on (effect 'applied', the session's state after it its own; V21).
insert into rv_session_event (tenant_id, event_id, session_id, state, occurred_at, received_at, reason, updated_by,
                              effect, session_state)
select s.tenant_id, gen_random_uuid(), s.session_id, e.state, e.at, e.at + interval '40 ms', e.reason, e.by,
       'applied', e.state
from rv_session s
cross join lateral (
    select case when s.state = 'ACKNOWLEDGED' then s.updated_at
                when s.started_at is not null then s.created_at + (s.started_at - s.created_at) / 3
                when s.state = 'FAILED' and s.ended_at - s.created_at <> interval '30 s'
                    then s.ended_at - interval '10 s' end as ack_at) a
cross join lateral (values
    ('INITIATED', s.created_at, null, s.created_by),
    ('ACKNOWLEDGED', a.ack_at, null, 'device'),
    ('ACTIVE', s.started_at, null, 'device'),
    (s.state, case when s.state in ('TERMINATED', 'FAILED') then s.ended_at end, s.reason, s.updated_by)
) e(state, at, reason, by)
where e.at is not null and s.tenant_id in (select tenant_id from tenant where name like 'bench-%');
