-- Where each extension's Slack message is, to update it in place when the extension is decided:
-- one row per conversation it was posted in, as slack_messages keeps a request's.
CREATE TABLE slack_extension_messages (
    extension_id  text        NOT NULL REFERENCES grant_extensions (id) ON DELETE CASCADE,
    channel       text        NOT NULL,
    ts            text        NOT NULL,
    posted_at     timestamptz NOT NULL,
    PRIMARY KEY (extension_id, channel)
);
