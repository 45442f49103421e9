-- An enrolled agent's ask (a pending task lease) told in Slack, one row per conversation its
-- message was posted in (the holder's direct message, the channel, approvers' direct messages), as
-- slack_finding_messages keeps a finding's: a retried delivery posts only where no row is, and a
-- decision updates every copy in place.
CREATE TABLE slack_lease_messages (
    lease_id    text        NOT NULL REFERENCES leases (id) ON DELETE CASCADE,
    channel     text        NOT NULL,
    ts          text        NOT NULL,
    posted_at   timestamptz NOT NULL,
    PRIMARY KEY (lease_id, channel)
);
