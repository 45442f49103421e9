-- Findings (docs/findings.md): rules that read each credential's calls as they are kept.

-- Every call kept, once, to be judged: written by the trigger below in the transaction that keeps
-- the call (activity_events' insert, which skips a call kept before), so no kept call is missed
-- and none is queued twice. A worker on any replica takes rows with FOR UPDATE SKIP LOCKED, judges
-- them and deletes them in one transaction: a replica that dies mid-way leaves them to the next.
-- The call is copied whole, so the worker reads only this table.
CREATE TABLE finding_queue (
    seq             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        text        NOT NULL,
    credential_id   text        NOT NULL,
    request_id      text        NOT NULL,
    at              timestamptz NOT NULL,
    source          text        NOT NULL,
    name            text        NOT NULL,
    region          text        NOT NULL,
    source_ip       text,
    error_code      text,
    named_role      text,
    with_decryption boolean     NOT NULL,
    queued_at       timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION finding_queue_call() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO finding_queue (event_id, credential_id, request_id, at, source, name, region,
                               source_ip, error_code, named_role, with_decryption)
    VALUES (NEW.event_id, NEW.credential_id, NEW.request_id, NEW.at, NEW.source, NEW.name,
            NEW.region, NEW.source_ip, NEW.error_code, NEW.named_role, NEW.with_decryption);
    RETURN NULL;
END
$$;

CREATE TRIGGER activity_events_findings
    AFTER INSERT ON activity_events
    FOR EACH ROW
    EXECUTE FUNCTION finding_queue_call();

-- One row per finding, as it was raised: the rule, and the mode, severity and action the policy
-- in force gave it then (what follows acts on this, never on a later policy); whose key made the
-- call (the request, grant, lease when a lease's, credential, holder, profile); the calls it names
-- (events: [{event_id, event_name, event_source, time}]) and why. acted_at: when its action was
-- carried out (finding.acted), empty for a dry run's.
CREATE TABLE findings (
    id             text        PRIMARY KEY,
    rule           text        NOT NULL,
    severity       text        NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
    mode           text        NOT NULL CHECK (mode IN ('dry_run', 'live')),
    request_id     text        NOT NULL,
    grant_id       text        NOT NULL,
    lease_id       text,
    credential_id  text        NOT NULL,
    person_issuer  text        NOT NULL,
    person_subject text        NOT NULL,
    profile        text        NOT NULL,
    events         jsonb       NOT NULL,
    why            text        NOT NULL,
    raised_at      timestamptz NOT NULL,
    action         text        NOT NULL
                               CHECK (action IN ('none', 'notified', 'lease_ended',
                                                 'grant_revoked')),
    acted_at       timestamptz,
    CHECK ((mode = 'dry_run') = (action = 'none')),
    CHECK (action <> 'lease_ended' OR lease_id IS NOT NULL)
);
CREATE INDEX findings_request ON findings (request_id, raised_at DESC, id DESC);
CREATE INDEX findings_lease ON findings (lease_id, raised_at DESC, id DESC)
    WHERE lease_id IS NOT NULL;
CREATE INDEX findings_raised ON findings (raised_at DESC, id DESC);

-- The baselines, kept as calls are judged (never by reading months of calls again), each time the
-- calls' own: which services and regions each profile's grants used, first and last; which
-- networks (an IPv4 /24, an IPv6 /48) each person's credentials called from; how many calls each
-- profile's grants made in each hour (read back two weeks); and each lease's or grant's recent
-- calls a burst counts (secret reads, refusals; kept an hour or so).
CREATE TABLE finding_profile_services (
    profile    text        NOT NULL,
    service    text        NOT NULL,
    first_seen timestamptz NOT NULL,
    last_seen  timestamptz NOT NULL,
    PRIMARY KEY (profile, service)
);

CREATE TABLE finding_profile_regions (
    profile    text        NOT NULL,
    region     text        NOT NULL,
    first_seen timestamptz NOT NULL,
    last_seen  timestamptz NOT NULL,
    PRIMARY KEY (profile, region)
);

CREATE TABLE finding_person_networks (
    issuer     text        NOT NULL,
    subject    text        NOT NULL,
    network    text        NOT NULL,
    first_seen timestamptz NOT NULL,
    last_seen  timestamptz NOT NULL,
    PRIMARY KEY (issuer, subject, network)
);

CREATE TABLE finding_profile_hours (
    profile text        NOT NULL,
    hour    timestamptz NOT NULL,
    calls   bigint      NOT NULL,
    PRIMARY KEY (profile, hour)
);

CREATE TABLE finding_bursts (
    scope        text        NOT NULL,
    kind         text        NOT NULL CHECK (kind IN ('secret', 'denied')),
    event_id     text        NOT NULL,
    event_name   text        NOT NULL,
    event_source text        NOT NULL,
    at           timestamptz NOT NULL,
    PRIMARY KEY (scope, kind, event_id)
);
CREATE INDEX finding_bursts_at ON finding_bursts (scope, kind, at);
CREATE INDEX finding_bursts_age ON finding_bursts (at);
CREATE INDEX finding_profile_hours_age ON finding_profile_hours (hour);
