-- Usage history (R10): one row per pool and day. The peak is raised by the gate, in the
-- transaction that raises the pool's active count; max, active and awaiting are the day's
-- latest snapshot, refreshed by a schedule. The primary key keeps it to one row per pool
-- and day, however many nodes write; rows older than the retention are pruned.
create table usage_day (
    pool          varchar(16)  not null,
    usage_date    date         not null,
    max_users     integer      not null,
    active_count  integer      not null,
    awaiting      integer      not null,
    peak_active   integer      not null,
    updated_at    timestamp    not null,
    primary key (pool, usage_date)
);

-- The all-time peak of each pool and the day it was first reached; kept past the pruning.
create table usage_peak (
    pool         varchar(16)  primary key,
    peak_active  integer      not null,
    peak_date    date
);
insert into usage_peak (pool, peak_active) values ('PRIMARY', 0);
insert into usage_peak (pool, peak_active) values ('EXTRANET', 0);
