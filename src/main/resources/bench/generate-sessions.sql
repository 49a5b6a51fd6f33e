-- Bench data: ${sessions} sessions over ${tenants} tenants, tenant 0 holding ${big} of them and
-- the rest a power-law long tail; 13 months of history, denser towards now. Set-based, so
-- PostgreSQL writes the rows without a round trip per row. Placeholders ${...} are filled
-- in by the bench command (numbers only).
select setseed(${seed});

create temp table bench_tenant on commit drop as
with w as (
    select i, case when i = 0 then 0 else 1.0 / power(i + 3, 1.3) end as w
    from generate_series(0, ${tenants} - 1) i),
sized as (
    select i, case when i = 0 then ${big}
                   else floor((${sessions} - ${big}) * w / nullif(sum(w) over (), 0))::bigint end as size
    from w)
select i,
       md5('rvfeed-bench-tenant-' || i)::uuid as tenant_id,
       -- the rounding remainder goes to the second-largest tenant
       size + case when i = 1 then ${sessions} - sum(size) over () else 0 end as size,
       -- devices and console users grow with the tenant
       greatest(5, least(size / 40, 20000))::int as fleet,
       3 + i % 10 as users
from sized;

insert into tenant (tenant_id, name, created_at)
select tenant_id, case when i = 0 then 'bench-big' else 'bench-' || lpad(i::text, 4, '0') end,
       now() - interval '400 days'
from bench_tenant
on conflict (tenant_id) do nothing;

insert into rv_session (tenant_id, session_id, device_id, device_name, device_alias, device_state, state,
                        video_quality, reason, created_by, updated_by, created_at, updated_at, started_at,
                        ended_at, device_name_lc, reason_lc, created_by_lc)
select tenant_id, session_id, device_id, device_name, device_alias, device_state, state, video_quality, reason,
       created_by, updated_by, created_at, updated_at, started_at, ended_at,
       lower(device_name), lower(reason), lower(created_by)
from (
    select *,
           case state when 'INITIATED' then created_at
                      when 'ACKNOWLEDGED' then ack_at
                      when 'ACTIVE' then active_at
                      else ended_at end as updated_at,
           case when state in ('INITIATED', 'TERMINATED') then created_by else 'device' end as updated_by
    from (
        select tenant_id, session_id, created_at, device_state, video_quality, created_by,
               case when r_alias < 0.33 then null else 'Till ' || (1 + device_no % 12) end as device_alias,
               md5(tenant_id::text || '/' || device_no)::uuid as device_id,
               (array['POS-Terminal', 'Warehouse-Scanner', 'Lobby-Kiosk', 'Delivery-Tablet', 'Digital-Signage',
                      'Clinic-Tablet', 'Shelf-Scanner', 'Ticket-Kiosk'])[1 + (device_no * 7919 + i) % 8]
                 || '-' || lpad((1 + (device_no * 104729 + i * 31) % 9999)::text, 4, '0') || ' '
                 || (array['Austin', 'Berlin', 'Chennai', 'Denver', 'Lyon', 'Osaka', 'Seattle', 'São Paulo',
                           'Zürich', 'Kraków', 'Toronto', 'Nairobi'])[1 + (device_no + i) % 12] as device_name,
               state,
               ack_at,
               case when state in ('ACTIVE', 'TERMINATED') or (state = 'FAILED' and stage = 2) then active_at end
                 as started_at,
               case state when 'TERMINATED' then ended_at
                          when 'FAILED' then case stage when 0 then created_at + interval '30 s'
                                                        when 1 then ack_at + interval '10 s'
                                                        else ended_at end end as ended_at,
               active_at,
               case state when 'TERMINATED' then case when r_reason < 0.25 then null
                   else (array['Ended by console user', 'Session idle timeout', 'Ended by the user on the device',
                               'Console browser tab closed'])[1 + floor(r_reason * 4)::int % 4] end
                          when 'FAILED' then (array['Device did not acknowledge within 30 s', 'Device went offline',
                               'Remote viewer agent is not installed on the device',
                               'User on the device denied screen sharing', 'Network timeout while negotiating the stream',
                               'Device rebooted during the session', 'Video encoder is not supported on this device'])
                               [1 + floor(r_reason * 7)::int % 7] end as reason
        from (
            select *,
                   created_at + ack_delay as ack_at,
                   created_at + ack_delay + active_delay as active_at,
                   created_at + ack_delay + active_delay + length as ended_at,
                   case when r_state < 0.62 then 'TERMINATED' when r_state < 0.80 then 'FAILED'
                        when r_state < 0.88 then 'ACTIVE' when r_state < 0.94 then 'ACKNOWLEDGED'
                        else 'INITIATED' end as state,
                   floor(r_stage * 3)::int as stage,
                   (array[1, 1, 1, 1, 1, 1, 60, 60, 20, 100])[1 + floor(r_dstate * 10)::int] as device_state,
                   case when r_quality < 0.25 then 'DATA_SAVER' else 'STANDARD' end as video_quality,
                   case when r_user < 0.05 then 'support-bot'
                        else (array['alice.nguyen', 'bob.meyer', 'carla.diaz', 'deepak.rao', 'eve.okafor',
                                    'farid.haddad', 'greta.lindqvist', 'hiro.tanaka', 'ines.moreau', 'jonas.weber',
                                    'kemi.adeyemi', 'lucia.rossi', 'mateo.garcia', 'nadia.petrova'])
                             [1 + (i * 5 + floor(power((r_user - 0.05) / 0.95, 1.5) * users)::int) % 14]
                             || '@tenant' || lpad(i::text, 4, '0') || '.example' end as created_by,
                   floor(power(r_device, 2) * fleet)::int as device_no
            from (
                select t.i, t.fleet, t.users, t.tenant_id, gen_random_uuid() as session_id,
                       date_trunc('milliseconds', now()) - interval '395 days' * power(random(), 1.3)
                         - random() * interval '1 ms' as created_at,
                       random() * interval '4 s' + interval '300 ms' as ack_delay,
                       random() * interval '8 s' + interval '500 ms' as active_delay,
                       -- log-uniform from 2 s to 5 h
                       interval '1 s' * exp(ln(2) + random() * (ln(18000) - ln(2))) as length,
                       random() as r_state, random() as r_stage, random() as r_dstate, random() as r_quality,
                       random() as r_user, random() as r_device, random() as r_alias, random() as r_reason
                from bench_tenant t, generate_series(1, t.size) g) raw) timed) shaped) final;
