-- A key's own rate limit. Both null: the service's configured default applies.
alter table api_key
    add column rate_limit_per_second integer check (rate_limit_per_second > 0),
    add column rate_limit_burst      integer check (rate_limit_burst > 0),
    add constraint api_key_rate_limit_complete
        check ((rate_limit_per_second is null) = (rate_limit_burst is null));
