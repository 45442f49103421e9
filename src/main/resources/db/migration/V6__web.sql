-- Web sign-in (/ui). Only SHA-256 hashes of the browser-held secrets are stored: a copy of this
-- table cannot be turned into a session or finish someone's sign-in.

-- A signed-in browser. principal holds the issuer's policy name and the verified ID token
-- claims the pages decide by (never a token). The CSRF token is derived from the session id
-- with HMAC, so it needs no column.
CREATE TABLE web_sessions (
    id_hash     bytea       PRIMARY KEY,
    principal   jsonb       NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);

-- A sign-in in progress, between the redirect to the IdP and its callback: single use (the
-- callback deletes the row it reads) and short-lived.
CREATE TABLE web_logins (
    state_hash    bytea       PRIMARY KEY,
    nonce         text        NOT NULL,
    code_verifier text        NOT NULL,
    return_to     text        NOT NULL,
    expires_at    timestamptz NOT NULL
);
CREATE INDEX web_logins_expiry ON web_logins (expires_at);

-- A request page's timeline reads the events of one request and of its grant.
CREATE INDEX audit_events_request ON audit_events (request_id) WHERE request_id IS NOT NULL;
CREATE INDEX audit_events_grant ON audit_events (grant_id) WHERE grant_id IS NOT NULL;
