-- A profile that its SCIM client deactivated is blocked with the reason PROVISIONING.
-- Written as = any (array[...]), not as an in list (see V11).
alter table profile drop constraint ck_profile_block_reason_value;
alter table profile add constraint ck_profile_block_reason_value
    check (block_reason = any (array['ADMINISTRATOR', 'AWAITING_LICENSE', 'DIRECTORY', 'PROVISIONING']));
