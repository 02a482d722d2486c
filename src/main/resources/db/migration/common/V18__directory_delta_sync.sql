-- Delta sync: each run says whether it read everything (FULL) or only what changed (DELTA),
-- and keeps the domain controller's highestCommittedUSN at its start and the DC's
-- invocationId; the next delta reads what changed after the last successful run's USN, on
-- the same DC only, and with the same scope (the hash of the settings that choose the entries).
alter table directory_run add column sync_mode varchar(8);
alter table directory_run add column usn bigint;
alter table directory_run add column invocation_id varchar(64);
alter table directory_run add column scope_hash varchar(64);
