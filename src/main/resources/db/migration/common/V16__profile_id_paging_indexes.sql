-- The API pages profiles in id order (keyset on id): the primary key serves the
-- unfiltered list, and these serve it filtered by state (awaiting: the blocked range,
-- with the block reason checked on its rows) or by area, at any depth.
create index ix_profile_state_id on profile (state, id);
create index ix_profile_area_id on profile (area_id, id);
