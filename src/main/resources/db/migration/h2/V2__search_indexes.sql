-- Prefix search on the lower-cased keys uses these indexes.
create index ix_profile_email_key on profile (email_key);
create index ix_profile_first_name_key on profile (first_name_key);
create index ix_profile_last_name_key on profile (last_name_key);
