-- People the directory deprovisioned (docs/directory.md, "Leaving"): one row each time a user
-- matched to a person is deactivated or deleted while the person had no mark in force. Written in
-- the SCIM write's own transaction, so a crash after that commit loses nothing. A row is two
-- things at once:
--  * the mark: in force while lifted_at is NULL (at most one per person); re-activating the user
--    lifts it, which never restores what was revoked;
--  * the work: the person's live grants revoked and pending requests cancelled, claimed by one
--    replica with FOR UPDATE SKIP LOCKED and done in that claim's transaction (done_at, with
--    person.deprovisioned). A mark lifted before its work ran still has its work done, for what
--    the person asked for before the lift;
--  * and the work once more, a while after (rechecked_at): a replica that had not yet heard of
--    the mark may have let the person ask for or be granted something after the first pass.
CREATE TABLE directory_deprovisioned (
    id bigserial PRIMARY KEY,
    issuer text NOT NULL,
    subject text NOT NULL,
    -- The directory user whose deactivation or deletion made the mark (it may since be deleted).
    user_id text NOT NULL,
    at timestamptz NOT NULL,
    lifted_at timestamptz,
    done_at timestamptz,
    rechecked_at timestamptz,
    grants_revoked integer,
    requests_cancelled integer,
    -- Work that failed waits until next_attempt_at, so one row that keeps failing does not hold
    -- up everyone else's; last_error says why (a database error's message, no secret).
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error text
);
CREATE UNIQUE INDEX directory_deprovisioned_in_force
    ON directory_deprovisioned (issuer, subject) WHERE lifted_at IS NULL;
CREATE INDEX directory_deprovisioned_due ON directory_deprovisioned (next_attempt_at, id)
    WHERE rechecked_at IS NULL;
