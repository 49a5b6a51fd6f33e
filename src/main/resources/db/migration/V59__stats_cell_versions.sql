-- A number per tenant that changes, in the same transaction, with every change to its kept
-- cells (rv_stats_cell: folds, refills, purges). The statistics keep the cells they have
-- read in memory and use them again for as long as the tenant's number is the one their
-- snapshot sees: a read of a zone's days over 13 months decodes some 18,000 cells, most of
-- its time (docs/performance.md, V59). The numbers come from one sequence, so a number is
-- never given twice, not even to a tenant deleted and made again.
create sequence rv_stats_cell_version_seq;

create table rv_stats_cell_version (
    tenant_id uuid   primary key,
    version   bigint not null
);

insert into rv_stats_cell_version (tenant_id, version)
select tenant_id, nextval('rv_stats_cell_version_seq') from (select distinct tenant_id from rv_stats_cell) t;

create function rv_stats_cell_changed() returns trigger language plpgsql as $$
begin
    insert into rv_stats_cell_version (tenant_id, version)
    select tenant_id, nextval('rv_stats_cell_version_seq')
    from (select distinct tenant_id from changed order by tenant_id) t
    on conflict (tenant_id) do update set version = excluded.version;
    return null;
end $$;

-- once per statement that changes cells (a fold has two), not per cell; a trigger with
-- transition tables has one event
create trigger rv_stats_cell_inserted after insert on rv_stats_cell
    referencing new table as changed for each statement execute function rv_stats_cell_changed();
create trigger rv_stats_cell_updated after update on rv_stats_cell
    referencing new table as changed for each statement execute function rv_stats_cell_changed();
create trigger rv_stats_cell_deleted after delete on rv_stats_cell
    referencing old table as changed for each statement execute function rv_stats_cell_changed();

-- a truncate changes every tenant's cells (nothing here truncates them; an operator might)
create function rv_stats_cell_truncated() returns trigger language plpgsql as $$
begin
    update rv_stats_cell_version set version = nextval('rv_stats_cell_version_seq');
    return null;
end $$;

create trigger rv_stats_cell_truncated after truncate on rv_stats_cell
    for each statement execute function rv_stats_cell_truncated();
