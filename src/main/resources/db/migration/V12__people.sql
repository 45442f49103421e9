-- The people stint has seen (issue 23): the latest verified claims of each person, from a web
-- sign-in or an API call, to answer "who can approve this?" (the people whose claims satisfy a
-- request's approver rule, most recently seen first) and to send approvers direct messages.
-- principal holds the claims, never a token; email only when the issuer said it was verified,
-- kept lower-case for matching a Slack profile's email (notify.slack.email_link_within).
CREATE TABLE people_seen (
    issuer      text        NOT NULL,
    subject     text        NOT NULL,
    principal   jsonb       NOT NULL,
    email       text,
    seen_at     timestamptz NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX people_seen_recent ON people_seen (seen_at DESC);
CREATE INDEX people_seen_email ON people_seen (email, seen_at DESC) WHERE email IS NOT NULL;

-- Direct messages to approvers: a request's message can now be in several conversations (the
-- channel and each approver's DM), each updated in place.
ALTER TABLE slack_messages DROP CONSTRAINT slack_messages_pkey;
ALTER TABLE slack_messages ADD PRIMARY KEY (request_id, channel);
