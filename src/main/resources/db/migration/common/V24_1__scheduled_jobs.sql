-- Scheduled work once per interval across nodes: ShedLock's lock table (one row per job, taken
-- by a conditional update with the database's time) ...
create table shedlock (
    name varchar(64) not null,
    lock_until timestamp not null,
    locked_at timestamp not null,
    locked_by varchar(255) not null,
    constraint shedlock_pk primary key (name)
);

-- ... and each job's last run, its node and outcome, for the health details (one row per job,
-- written by the node that held the lock).
create table scheduled_job (
    name varchar(64) not null,
    runs bigint not null,
    last_started_at timestamp not null,
    last_finished_at timestamp,
    last_node varchar(255) not null,
    last_outcome varchar(16) not null,
    last_message varchar(1000),
    constraint scheduled_job_pk primary key (name),
    constraint scheduled_job_outcome check (last_outcome = any(array['RUNNING', 'SUCCEEDED', 'FAILED']))
);
