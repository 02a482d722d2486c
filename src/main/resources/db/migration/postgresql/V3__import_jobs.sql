-- CSV uploads: the file as uploaded (re-read at confirm), then its report.
create table import_job (
    id           varchar(36)  primary key,
    file_name    varchar(255) not null,
    content      text         not null,
    created_by   varchar(64)  not null,
    created_at   timestamp    not null,
    status       varchar(16)  not null,
    mode         varchar(16),
    total_rows   integer      not null default 0,
    created      integer      not null default 0,
    skipped      integer      not null default 0,
    refused      integer      not null default 0,
    invalid      integer      not null default 0,
    message      varchar(1000),
    report       text,
    finished_at  timestamp
);
create index ix_import_job_created on import_job (created_at);
