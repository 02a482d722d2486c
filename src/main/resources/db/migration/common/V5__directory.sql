-- Directory sync (R7, R8). A profile from the directory keeps the directory's stable id
-- (objectGUID as lower-case hex, or the configured id attribute's text) and its DN, the
-- DN being what a directory sign-in binds with.
alter table profile add column directory_id varchar(255);
alter table profile add column directory_dn varchar(1000);
create unique index uk_profile_directory_id on profile (directory_id);

-- The settings kept in the database (one row); seatkeeper.directory.* properties win.
create table directory_settings (
    id                   integer       primary key check (id = 1),
    url                  varchar(500),
    start_tls            boolean       not null default false,
    bind_dn              varchar(1000),
    bind_password        varchar(500),
    base_dn              varchar(1000),
    user_filter          varchar(1000),
    username_attribute   varchar(100),
    email_attribute      varchar(100),
    first_name_attribute varchar(100),
    last_name_attribute  varchar(100),
    id_attribute         varchar(100),
    area_mapping         varchar(8000),
    cron                 varchar(100),
    activate_when_free   boolean       not null default false,
    max_block_percent    integer,
    updated_at           timestamp,
    updated_by           varchar(64)
);
insert into directory_settings (id) values (1);

-- One run at a time across nodes: a run holds this row (a conditional update).
create table directory_lock (
    id         integer      primary key check (id = 1),
    run_id     varchar(36),
    locked_at  timestamp
);
insert into directory_lock (id) values (1);

-- Each run and its report, kept.
create table directory_run (
    id                 varchar(36)   primary key,
    state              varchar(24)   not null,
    phase              varchar(16),
    started_by         varchar(64)   not null,
    started_at         timestamp     not null,
    finished_at        timestamp,
    entries_read       integer       not null default 0,
    planned            integer       not null default 0,
    applied            integer       not null default 0,
    created_active     integer       not null default 0,
    created_awaiting   integer       not null default 0,
    activated          integer       not null default 0,
    updated            integer       not null default 0,
    blocked_disabled   integer       not null default 0,
    blocked_removed    integer       not null default 0,
    unchanged          integer       not null default 0,
    left_awaiting      integer       not null default 0,
    would_block        integer       not null default 0,
    managed            integer       not null default 0,
    error_count        integer       not null default 0,
    errors             varchar(20000),
    message            varchar(2000),
    confirmed_by       varchar(64)
);
create index ix_directory_run_started on directory_run (started_at);
