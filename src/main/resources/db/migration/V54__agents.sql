-- Agents that ask (issue 71): a person enrolls an AI agent for some profiles; the agent's own
-- token (kept only as its SHA-256) asks for task leases on the person's grants, each waiting for
-- a person's approval. An agent ends when it expires or its person revokes it, never to return.
CREATE TABLE agents (
    id            text        PRIMARY KEY,
    name          text        NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    owner_issuer_name text    NOT NULL,
    owner_issuer  text        NOT NULL,
    owner_subject text        NOT NULL,
    owner_email   text,
    -- The person's claims as verified when they enrolled it (people.StoredClaims): a request the
    -- agent files in their name is judged on them, as the directory has the person now.
    owner_claims  jsonb       NOT NULL,
    profiles      jsonb       NOT NULL CHECK (jsonb_typeof(profiles) = 'array'),
    token_sha256  text        NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL CHECK (expires_at > created_at),
    revoked_at    timestamptz,
    CHECK (revoked_at IS NULL OR revoked_at >= created_at)
);
-- A person's agents, newest first.
CREATE INDEX agents_owner ON agents (owner_issuer, owner_subject, created_at DESC);

-- A lease an enrolled agent asked for names it as its agent (urn:stint:agent, its id) and keeps
-- the agent's name and whose agent it is, as approvers are shown them.
ALTER TABLE leases ADD COLUMN agent_name text;
ALTER TABLE leases ADD COLUMN agent_owner text;
-- Whether the profile had its leases wait for an approver when the agent asked: if so, the
-- holder's own vote does not decide it (nobody approves their own access); if not, it does.
ALTER TABLE leases ADD COLUMN agent_needs_approver boolean;
ALTER TABLE leases ADD CONSTRAINT leases_asked_by
    CHECK ((agent_name IS NULL) = (agent_owner IS NULL)
           AND (agent_name IS NULL) = (agent_needs_approver IS NULL)
           AND (agent_name IS NULL OR agent_issuer = 'urn:stint:agent'));
CREATE INDEX leases_asking_agent ON leases (agent_subject)
    WHERE agent_issuer = 'urn:stint:agent';
