-- The people pages' filters, each one a range of an index whatever the number of
-- profiles (the list's page, and a count that stops at its cap):
-- awaiting a licence and blocked as dormant are a block reason within the blocked
-- state, in username order for the list's keyset paging;
create index ix_profile_reason_username on profile (state, block_reason, username_key);
-- "no sign-in for N days" is a last sign-in before the cut-off, or none at all and created
-- before it: two ranges of this index.
create index ix_profile_idle on profile (last_sign_in_at, created_at);
-- A pool's queue, oldest first (the License page's first 20, the activation order): the
-- first rows of this range, however long the queue; it serves the awaiting counts too.
create index ix_profile_queue on profile (pool, state, block_reason, awaiting_since, id);
