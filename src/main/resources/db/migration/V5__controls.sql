-- Expiry reminders: when the sweeper sent grant.expiring for the grant's current end. Reset to
-- NULL when an extension moves the end, so the new end gets its own reminder.
ALTER TABLE grants ADD COLUMN reminded_at timestamptz;
CREATE INDEX grants_reminder_due ON grants (ends_at) WHERE reminded_at IS NULL AND revoked_at IS NULL;

-- Requests to lengthen an active grant (a profile's `extension:` rule). Each is tied to the
-- grant it extends; approvals are stored with it (one approver counts once).
CREATE TABLE grant_extensions (
    id                  text        PRIMARY KEY,
    grant_id            text        NOT NULL REFERENCES grants (id),
    request_id          text        NOT NULL REFERENCES access_requests (id),
    profile             text        NOT NULL,
    requester_issuer    text        NOT NULL,
    requester_subject   text        NOT NULL,
    requester_email     text,
    duration_seconds    integer     NOT NULL CHECK (duration_seconds > 0),
    reason              text        NOT NULL,
    approvals_required  integer     NOT NULL CHECK (approvals_required >= 0),
    state               text        NOT NULL CHECK (state IN
                          ('pending', 'approved', 'denied', 'cancelled', 'expired')),
    approvals           jsonb       NOT NULL DEFAULT '[]'::jsonb,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    version             integer     NOT NULL DEFAULT 0
);
CREATE INDEX grant_extensions_grant ON grant_extensions (grant_id, state);
