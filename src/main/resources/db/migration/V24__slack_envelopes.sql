-- The Socket Mode envelopes stint has taken, so that each is handled once: Slack sends an
-- envelope to one of the app's connections, but one not acknowledged in time may come again,
-- possibly to another replica. Rows older than a day are pruned as new ones arrive.
CREATE TABLE slack_envelopes (
    envelope_id  text        PRIMARY KEY,
    received_at  timestamptz NOT NULL
);
CREATE INDEX slack_envelopes_received_at ON slack_envelopes (received_at);
