-- How many profiles a run moved to another area (counted in updated too).
alter table directory_run add column moved integer default 0 not null;
