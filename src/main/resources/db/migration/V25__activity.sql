-- Activity per grant: what each credential stint issued for a request was used for, from the
-- cloud's own log of API calls (CloudTrail for AWS).

-- One row per credential the cloud can be asked about (an AWS access key handed out for a
-- request), added by the trigger below in the transaction that adds the credential, so none is
-- missed. next_at: when it is next looked up; checked_at: the last lookup that covered every
-- place; settled_at: the lookup made activity.settle after the credential's end, its last.
CREATE TABLE activity_lookups (
    credential_id  text        PRIMARY KEY REFERENCES credentials (id) ON DELETE CASCADE,
    request_id     text        NOT NULL,
    cloud          text        NOT NULL,
    access_key_id  text        NOT NULL,
    issued_at      timestamptz NOT NULL,
    next_at        timestamptz NOT NULL,
    checked_at     timestamptz,
    settled_at     timestamptz,
    failures       integer     NOT NULL DEFAULT 0
);
CREATE INDEX activity_lookups_due ON activity_lookups (next_at) WHERE settled_at IS NULL;
CREATE INDEX activity_lookups_request ON activity_lookups (request_id);

-- The calls found, once each: event_id is the log's own id for a call, so a call read twice (by a
-- repeated lookup, or by another source) is kept once.
CREATE TABLE activity_events (
    event_id       text        PRIMARY KEY,
    credential_id  text        NOT NULL,
    request_id     text        NOT NULL,
    at             timestamptz NOT NULL,
    source         text        NOT NULL,
    name           text        NOT NULL,
    region         text        NOT NULL,
    source_ip      text,
    error_code     text,
    access_key_id  text
);
CREATE INDEX activity_events_request ON activity_events (request_id, at DESC, event_id DESC);

-- A request whose activity is settled: its summary went into the audit (grant.activity), once.
CREATE TABLE activity_settled (
    request_id  text        PRIMARY KEY,
    settled_at  timestamptz NOT NULL
);

CREATE FUNCTION activity_lookup_for_credential() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO activity_lookups (credential_id, request_id, cloud, access_key_id, issued_at, next_at)
    VALUES (NEW.id, NEW.request_id, NEW.cloud, NEW.access_key_id, NEW.issued_at, NEW.issued_at)
    ON CONFLICT (credential_id) DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER credentials_activity_lookup
    AFTER INSERT ON credentials
    FOR EACH ROW
    WHEN (NEW.cloud = 'aws' AND NEW.access_key_id IS NOT NULL AND NEW.request_id IS NOT NULL)
    EXECUTE FUNCTION activity_lookup_for_credential();

-- Credentials already handed out when this table arrived, while their calls can still be found.
INSERT INTO activity_lookups (credential_id, request_id, cloud, access_key_id, issued_at, next_at)
SELECT id, request_id, cloud, access_key_id, issued_at, issued_at
FROM credentials
WHERE cloud = 'aws' AND access_key_id IS NOT NULL AND request_id IS NOT NULL
  AND expires_at > now() - interval '1 day'
ON CONFLICT (credential_id) DO NOTHING;
