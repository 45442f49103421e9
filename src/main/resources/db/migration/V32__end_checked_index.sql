-- The end_when sweep's claim (AccessStore.CLAIM_END_CHECKS): the live grants of the profiles
-- that have an end_when, those not checked since the last round first. It is led by profile and
-- end, not by end_checked_at: grants that ended without being revoked keep revoked_at NULL and
-- their last end_checked_at (and those of other profiles keep NULL) forever, so an index in
-- end_checked_at order would be walked past a year of them on every round; this one reads only
-- the live grants of those profiles, and the few due are then sorted.
CREATE INDEX grants_end_checks ON grants (profile, ends_at) WHERE revoked_at IS NULL;
