-- stint's first schema: access requests, their approvals, the grants they produce, and the
-- append-only audit log. Times are timestamptz; ids are opaque text chosen by the server.

CREATE TABLE access_requests (
    id                  text        PRIMARY KEY,
    profile             text        NOT NULL,
    requester_issuer    text        NOT NULL,
    requester_subject   text        NOT NULL,
    requester_email     text,
    reason              text        NOT NULL,
    ticket              text,
    duration_seconds    integer     NOT NULL CHECK (duration_seconds > 0),
    starts_at           timestamptz,
    break_glass         boolean     NOT NULL DEFAULT false,
    approvals_required  integer     NOT NULL CHECK (approvals_required >= 0),
    state               text        NOT NULL CHECK (state IN
                          ('pending', 'approved', 'denied', 'cancelled', 'timed_out',
                           'revoked', 'expired')),
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    -- Incremented on every transition; conditional updates on it make concurrent decisions safe.
    version             integer     NOT NULL DEFAULT 0
);
CREATE INDEX access_requests_requester ON access_requests (requester_issuer, requester_subject, profile);
CREATE INDEX access_requests_state ON access_requests (state, created_at);

CREATE TABLE approvals (
    request_id          text        NOT NULL REFERENCES access_requests (id),
    approver_issuer     text        NOT NULL,
    approver_subject    text        NOT NULL,
    approver_email      text,
    decision            text        NOT NULL CHECK (decision IN ('approve', 'deny')),
    comment             text,
    created_at          timestamptz NOT NULL,
    -- One approver counts once per request, whatever they click.
    PRIMARY KEY (request_id, approver_issuer, approver_subject)
);

CREATE TABLE grants (
    id                  text        PRIMARY KEY,
    request_id          text        NOT NULL UNIQUE REFERENCES access_requests (id),
    profile             text        NOT NULL,
    principal_issuer    text        NOT NULL,
    principal_subject   text        NOT NULL,
    starts_at           timestamptz NOT NULL,
    ends_at             timestamptz NOT NULL CHECK (ends_at > starts_at),
    break_glass         boolean     NOT NULL DEFAULT false,
    revoked_at          timestamptz,
    revoked_by          text,
    reviewed_at         timestamptz,
    reviewed_by         text,
    created_at          timestamptz NOT NULL
);
CREATE INDEX grants_active ON grants (principal_issuer, principal_subject, profile, ends_at);

-- The audit log. Rows are appended in chain order by the audit writer, which assigns seq itself
-- (no sequence: a rolled-back batch must not leave gaps). hash = SHA-256 over the canonical
-- event and prev_hash.
CREATE TABLE audit_events (
    seq                 bigint      PRIMARY KEY,
    event_id            uuid        NOT NULL UNIQUE,
    occurred_at         timestamptz NOT NULL,
    type                text        NOT NULL,
    actor_issuer        text,
    actor_subject       text,
    actor_email         text,
    request_id          text,
    grant_id            text,
    profile             text,
    cloud               text,
    target              text,
    outcome             text,
    reason              text,
    client_address      text,
    user_agent          text,
    details             jsonb       NOT NULL DEFAULT '{}'::jsonb,
    prev_hash           text        NOT NULL,
    hash                text        NOT NULL
);
CREATE INDEX audit_events_time ON audit_events (occurred_at);
CREATE INDEX audit_events_actor ON audit_events (actor_subject, occurred_at);
CREATE INDEX audit_events_profile ON audit_events (profile, occurred_at);
CREATE INDEX audit_events_type ON audit_events (type, occurred_at);

-- Append-only, enforced by the database itself: no role that uses stint's schema can rewrite
-- history through UPDATE, DELETE or TRUNCATE. (A superuser can still disable the trigger; the
-- hash chain is what detects that.)
CREATE FUNCTION audit_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_events_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();

CREATE TRIGGER audit_events_no_truncate
    BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
