-- How many rows a running import has done, written with each heartbeat by the node that runs
-- it, so that every node's progress bar shows it. A row of its own: while an import waits at
-- the licence gate its transaction holds the import_job row (its report is stored before the
-- gate), and this row must stay writable meanwhile.
create table import_progress (
    job_id      varchar(36)  primary key,
    rows_done   integer      not null,
    updated_at  timestamp    not null
);
