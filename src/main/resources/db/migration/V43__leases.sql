-- Task leases (issue 55): a grant's holder hands an agent or a script a narrower, shorter,
-- separately revocable credential for one task. A lease is of one grant and never outlives it.
-- Where its profile asks a vote, a lease waits ('pending') until an approver approves it (then
-- approved_*) or denies it ('denied', an end).
--
-- A lease's own secret is kept only as its SHA-256 (token_sha256), found by that hash; a lease
-- that names the agent's own OIDC identity (agent_issuer, agent_subject) has no token. policy is
-- the statements its credentials carry, exactly as created (text, so its hash can be computed
-- again), with their SHA-256.
CREATE TABLE leases (
    id                text        PRIMARY KEY,
    request_id        text        NOT NULL REFERENCES access_requests (id),
    grant_id          text        NOT NULL REFERENCES grants (id),
    profile           text        NOT NULL,
    holder_issuer     text        NOT NULL,
    holder_subject    text        NOT NULL,
    task              text        NOT NULL CHECK (length(task) BETWEEN 1 AND 500),
    created_at        timestamptz NOT NULL,
    expires_at        timestamptz NOT NULL CHECK (expires_at > created_at),
    state             text        NOT NULL DEFAULT 'active'
                                  CHECK (state IN ('pending', 'active', 'revoked', 'ended',
                                                   'denied')),
    parameters        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    policy            text,
    policy_sha256     text,
    token_sha256      text        UNIQUE,
    agent_issuer      text,
    agent_subject     text,
    approved_at       timestamptz,
    approved_by_issuer  text,
    approved_by_subject text,
    ended_at          timestamptz,
    ended_by_issuer   text,
    ended_by_subject  text,
    CHECK ((token_sha256 IS NULL) <> (agent_issuer IS NULL)),
    CHECK ((agent_issuer IS NULL) = (agent_subject IS NULL)),
    CHECK ((state IN ('pending', 'active')) = (ended_at IS NULL)),
    CHECK ((approved_at IS NULL) = (approved_by_issuer IS NULL))
);
-- A grant's live leases (how many it has, which end with it).
CREATE INDEX leases_grant ON leases (grant_id) WHERE state IN ('pending', 'active');
