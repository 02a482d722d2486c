-- Prefix search (like 'abc%') on the lower-cased keys: pattern_ops indexes work under any collation.
create index ix_profile_username_key_pattern on profile (username_key varchar_pattern_ops);
create index ix_profile_email_key on profile (email_key varchar_pattern_ops);
create index ix_profile_first_name_key on profile (first_name_key varchar_pattern_ops);
create index ix_profile_last_name_key on profile (last_name_key varchar_pattern_ops);
