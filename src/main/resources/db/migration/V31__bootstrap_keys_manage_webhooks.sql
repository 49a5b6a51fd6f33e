-- The bootstrap key (RVFEED_BOOTSTRAP_API_KEY, stored under the name 'bootstrap') and the
-- first-run demo key are made with every scope; those made before webhooks (V30) lacked
-- webhooks:manage. Give it to them, as a new start would; no other key changes (the admin
-- API grants it to others).
update api_key k
set scopes = array_append(k.scopes, 'webhooks:manage')
where not ('webhooks:manage' = any (k.scopes))
  and k.scopes @> array ['feed:read', 'sessions:write']
  and ((k.name = 'bootstrap' and k.prefix = '')
       or (k.name = 'demo' and exists (select 1 from tenant t where t.tenant_id = k.tenant_id and t.name = 'Demo tenant')));
