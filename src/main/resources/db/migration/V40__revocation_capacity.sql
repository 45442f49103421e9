-- Issue 51: a revocation that does not fit a role's denies one grant at a time first collapses the
-- people with the most revoked grants there, each to a cutoff of their own (their sessions issued
-- before it are denied, nobody else's); only then is the role widened (revocation_cutoffs).
-- person: the sixteen hex characters that start the person's source identities.
CREATE TABLE revocation_person_cutoffs (
    role_arn      text        NOT NULL,
    person        text        NOT NULL,
    cutoff        timestamptz NOT NULL,
    covers_before timestamptz NOT NULL,
    until         timestamptz NOT NULL,
    grant_id      text        NOT NULL,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (role_arn, person)
);

-- When a cutoff (a role's widening, or a person's collapse) denied a live credential whose grant
-- stands: its holder, and a client caching it, can learn it no longer works. Null: never cut.
ALTER TABLE credentials ADD COLUMN cut_at timestamptz;
