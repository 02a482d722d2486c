-- A profile that its SCIM client deactivated is blocked with the reason PROVISIONING.
-- V1's column check was named by PostgreSQL.
alter table profile drop constraint profile_block_reason_check;
alter table profile add constraint ck_profile_block_reason_value
    check (block_reason in ('ADMINISTRATOR', 'AWAITING_LICENSE', 'DIRECTORY', 'PROVISIONING'));
