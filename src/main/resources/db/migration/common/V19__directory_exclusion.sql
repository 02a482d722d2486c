-- Directory accounts whose profile an administrator deleted: later syncs skip them until a
-- sysadmin removes them from the list (written by the directory module only).
create table directory_exclusion (
    directory_id  varchar(255)  primary key,
    username      varchar(64)   not null,
    excluded_by   varchar(255)  not null,
    excluded_at   timestamp     not null
);

-- How many entries in scope a run skipped because they are on that list.
alter table directory_run add column excluded integer default 0 not null;

-- How many profiles a run matched to accounts created again with a new stable id (rehires).
alter table directory_run add column rehired integer default 0 not null;
