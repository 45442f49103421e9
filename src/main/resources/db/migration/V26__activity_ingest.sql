-- Activity per grant, pushed: CloudTrail events delivered by EventBridge to POST
-- /v1/ingest/cloudtrail, matched to the credential that made the call.

-- Each delivered event is matched by the key that signed it, or, for a role chained from a stint
-- session, by the source identity the session carries: without these, every delivery would read
-- the whole ledger.
CREATE INDEX credentials_access_key ON credentials (access_key_id) WHERE access_key_id IS NOT NULL;
CREATE INDEX credentials_source_identity ON credentials (source_identity)
    WHERE source_identity IS NOT NULL;

-- When each pushed source last delivered an event, shown beside the lookups on a request's
-- activity so a stopped delivery is seen; written at most once a minute per replica.
CREATE TABLE activity_sources (
    name         text        PRIMARY KEY,
    received_at  timestamptz NOT NULL
);

-- AssumeRole calls onto a role of the policy without a source identity stint issued, each recorded
-- in the audit (role.assumed_outside) once, by CloudTrail's eventID, whichever source saw it and
-- however often.
CREATE TABLE activity_outside (
    event_id     text        PRIMARY KEY,
    recorded_at  timestamptz NOT NULL
);
