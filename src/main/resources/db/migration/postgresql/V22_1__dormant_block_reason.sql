-- A profile that the reclaim job blocked is blocked with the reason DORMANT.
alter table profile drop constraint ck_profile_block_reason_value;
alter table profile add constraint ck_profile_block_reason_value
    check (block_reason in ('ADMINISTRATOR', 'AWAITING_LICENSE', 'DIRECTORY', 'PROVISIONING', 'DORMANT'));
alter table reclaim_run add constraint ck_reclaim_run_state
    check (state in ('RUNNING', 'DONE', 'HELD', 'CONFIRMED', 'FAILED'));
