-- From V11 on, api_key.key_hash is HMAC-SHA-256(server secret, SHA-256(key)); the secret is
-- kept outside the database (rvfeed.api-keys.hash-secret or its file), so a copy of this
-- table gives nothing to brute force. V11 converts the SHA-256 rows of V1 (it needs the
-- secret, hence Java: io.rvfeed.auth.KeyedHashMigration).

-- A check value of the secret (an HMAC under it of a fixed text), so that an instance
-- started with another secret refuses to start instead of refusing every key.
create table api_key_hash_secret (
    singleton   boolean     primary key default true check (singleton),
    fingerprint bytea       not null,
    created_at  timestamptz not null default now()
);

-- The listing prefix was the first 12 characters of every key. Of a generated key
-- (rvf_ and 40 random characters) that leaves 190 bits to guess; of a bootstrap key an
-- operator chose, perhaps nothing worth mentioning. Keep no character of those.
update api_key
set prefix = ''
where name = 'bootstrap' or prefix !~ '^rvf_[0-9A-Za-z]{8}$';

comment on column api_key.prefix is
    'rvf_ and the first 8 random characters of a generated key, to tell keys apart; empty for a key an operator chose';
comment on column api_key.key_hash is
    'HMAC-SHA-256 under the server''s key hash secret of SHA-256(key) (V11); the key is never stored';
