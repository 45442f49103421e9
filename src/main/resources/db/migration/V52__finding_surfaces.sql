-- Findings' surfaces (docs/findings.md): calls set aside because they cannot be judged, and where
-- each live finding's Slack message went.

-- A kept call the judging could not judge alone, set aside so the calls after it are judged: the
-- call as it was queued, how often it was tried alone, the error of the last try, and when. A row
-- is never judged again; it is kept for an operator to read (docs/findings.md, "Set aside").
CREATE TABLE finding_set_aside (
    seq             bigint      PRIMARY KEY,
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
    queued_at       timestamptz NOT NULL,
    attempts        integer     NOT NULL,
    error           text        NOT NULL,
    set_aside_at    timestamptz NOT NULL
);

-- A live finding's Slack message, one row per conversation it was posted in (the channel, the
-- holder's and each approver's direct message), as slack_messages keeps a request's: a retried
-- delivery posts only where no row is, and a Revoke click updates every copy in place.
CREATE TABLE slack_finding_messages (
    finding_id  text        NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    channel     text        NOT NULL,
    ts          text        NOT NULL,
    posted_at   timestamptz NOT NULL,
    PRIMARY KEY (finding_id, channel)
);
