-- The credentials ledger: one row per credential stint handed out (to a person, a CI job, or
-- behind a console link), inserted by the audit writer in the transaction of the credential's
-- credential.issued event, so neither commits without the other. Revocation reads it to learn
-- where a grant's credentials were minted and until when they live, never today's policy.
-- state is what happened to the credential since: 'revoked' once its grant's revocation covers
-- it at the cloud, 'withheld' when it was minted but never handed out; 'live' rows past
-- expires_at read as expired.
CREATE TABLE credentials (
    id              text        PRIMARY KEY,
    event_id        uuid        NOT NULL,
    grant_id        text,
    request_id      text,
    ci_rule         text,
    holder_issuer   text        NOT NULL,
    holder_subject  text        NOT NULL,
    profile         text        NOT NULL,
    cloud           text        NOT NULL,
    target          text        NOT NULL,
    access_key_id   text,
    fingerprint     text,
    session_name    text,
    source_identity text,
    revocable       boolean     NOT NULL,
    issued_at       timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    state           text        NOT NULL DEFAULT 'live'
                                CHECK (state IN ('live', 'revoked', 'withheld')),
    ended_at        timestamptz,
    CHECK (grant_id IS NOT NULL OR ci_rule IS NOT NULL),
    CHECK ((access_key_id IS NULL) <> (fingerprint IS NULL))
);

-- A request's credentials, and what a revoke of its grant reaches.
CREATE INDEX credentials_grant ON credentials (grant_id, issued_at) WHERE grant_id IS NOT NULL;
-- revocable: the cloud can end the credential before it expires (an AWS session, by a deny on its
-- role), as the cloud that minted it said.
-- A role's live sessions (how many a widened revocation cuts) and its revoked ones (what its
-- deny must list): both only while unexpired, so both read a thin slice of the table.
CREATE INDEX credentials_live ON credentials (target, expires_at) WHERE state = 'live';
CREATE INDEX credentials_revoked ON credentials (target, expires_at) WHERE state = 'revoked';

-- Each revoked grant's revocation as it goes: until_deny while the deny is being written, denied
-- once IAM holds it, failed when it could not be written, none when the grant had no live
-- credential, until_expiry when its live credentials are tokens no cloud can revoke.
CREATE TABLE revocations (
    grant_id    text        PRIMARY KEY,
    request_id  text        NOT NULL,
    revoked_at  timestamptz NOT NULL,
    progress    text        NOT NULL
                            CHECK (progress IN ('until_deny', 'denied', 'failed', 'none',
                                                'until_expiry')),
    roles       text[]      NOT NULL DEFAULT '{}',
    credentials integer     NOT NULL DEFAULT 0,
    widened     boolean     NOT NULL DEFAULT false,
    detail      text,
    updated_at  timestamptz NOT NULL
);

-- A role whose denies did not fit IAM's limit: every stint session issued before cutoff is
-- denied until until. Ledger credentials issued before covers_before need no entry of their own.
CREATE TABLE revocation_cutoffs (
    role_arn      text        PRIMARY KEY,
    cutoff        timestamptz NOT NULL,
    covers_before timestamptz NOT NULL,
    until         timestamptz NOT NULL,
    grant_id      text        NOT NULL,
    updated_at    timestamptz NOT NULL
);

-- Credentials a release without the ledger issued: those whose sessions may still be alive when
-- this runs, and those an earlier replica issues during a rolling upgrade (its credential.issued
-- names no credential_id), are read into the ledger from their audit events, so that a revocation
-- reaches them too. The target is the one the event recorded at issue time; the source identity
-- is the one stint gave every AWS session of a grant (16 hex characters of SHA-256 over issuer,
-- a newline and subject, a dot, the grant id). Their session names were not recorded.
CREATE FUNCTION credentials_from_issued(events audit_events[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO credentials (id, event_id, grant_id, request_id, ci_rule, holder_issuer,
        holder_subject, profile, cloud, target, access_key_id, fingerprint, source_identity,
        revocable, issued_at, expires_at)
    SELECT 'crd_' || replace(e.event_id::text, '-', ''), e.event_id, e.grant_id, e.request_id,
           e.details->>'ci_rule', e.actor_issuer, e.actor_subject, coalesce(e.profile, ''),
           coalesce(e.cloud, ''), coalesce(e.target, ''),
           e.details #>> '{credential,access_key_id}',
           CASE WHEN e.details #>> '{credential,access_key_id}' IS NULL
                THEN substr(e.details #>> '{credential,access_token_sha256}', 8, 16) END,
           CASE WHEN e.cloud = 'aws' AND e.grant_id IS NOT NULL
                THEN substr(encode(sha256(convert_to(e.actor_issuer || E'\n' || e.actor_subject,
                     'UTF8')), 'hex'), 1, 16) || '.' || e.grant_id END,
           coalesce(e.cloud = 'aws', false), e.occurred_at,
           coalesce(e.details #>> '{credential,expiration}',
                    e.details #>> '{credential,expires_at}')::timestamptz
    FROM unnest(events) e
    WHERE e.type = 'credential.issued' AND NOT (e.details ? 'credential_id')
      AND (e.grant_id IS NOT NULL OR e.details ? 'ci_rule')
      AND (e.details #>> '{credential,access_key_id}' IS NOT NULL
           OR e.details #>> '{credential,access_token_sha256}' IS NOT NULL)
      AND e.actor_issuer IS NOT NULL AND e.actor_subject IS NOT NULL
    ON CONFLICT (id) DO NOTHING
$$;

CREATE FUNCTION credentials_from_issued_events() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM credentials_from_issued(ARRAY(SELECT e::audit_events FROM new_rows e
        WHERE e.type = 'credential.issued' AND NOT (e.details ? 'credential_id')));
    RETURN NULL;
END
$$;

CREATE TRIGGER audit_events_credentials_from_issued AFTER INSERT ON audit_events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION credentials_from_issued_events();

-- The same for what was issued before this migration: no session lives longer than twelve hours,
-- and one chained from it an hour more.
SELECT credentials_from_issued(ARRAY(SELECT e FROM audit_events e
    WHERE e.type = 'credential.issued' AND e.occurred_at > now() - interval '13 hours'));
