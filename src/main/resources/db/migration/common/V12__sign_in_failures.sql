-- Failed sign-ins, counted per account (the lower-case username as typed, whether or not
-- a profile has it) and per client address, so that every node throttles alike. A row
-- counts the failures of its current window; when they reach
-- seatkeeper.security.sign-in.max-failures, locked_until is set and the count starts
-- again. Each node changes a row only with conditional updates, so two nodes counting at
-- once lose no failure and lock once.
create table sign_in_failure (
    kind          varchar(8)    not null,
    name          varchar(255)  not null,
    failures      integer       not null,
    window_start  timestamp,
    locked_until  timestamp,
    last_failure  timestamp     not null,
    primary key (kind, name)
);

create index ix_sign_in_failure_last on sign_in_failure (last_failure);
