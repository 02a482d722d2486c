-- The heartbeat of a running job: while an import or a directory run runs, its node
-- touches heartbeat_at every seatkeeper.jobs.heartbeat-interval; any node fails a running
-- job whose heartbeat is older than seatkeeper.jobs.heartbeat-timeout (its node stopped).
alter table import_job add column heartbeat_at timestamp;
alter table import_job add column heartbeat_node varchar(255);
alter table directory_run add column heartbeat_at timestamp;
alter table directory_run add column heartbeat_node varchar(255);

-- Jobs left running before this version had no heartbeat: the reaper sees them as
-- stopped at once.
update import_job set heartbeat_at = created_at where status = 'RUNNING';
update directory_run set heartbeat_at = started_at where state = 'RUNNING';

create index ix_import_job_running on import_job (status, heartbeat_at);
create index ix_directory_run_running on directory_run (state, heartbeat_at);
