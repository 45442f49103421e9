-- When each grant ended or ends: its revocation when earlier than its end. The report of grants
-- never used reads the grants that ended in a window, the latest first, through this index.
CREATE INDEX grants_ended ON grants ((LEAST(ends_at, COALESCE(revoked_at, ends_at))), request_id);
