-- Slack (issue 23). The message stint posted about a request, to update it in place after every
-- decision: one per request, written once Slack has answered the post with the message's ts.
CREATE TABLE slack_messages (
    request_id  text        PRIMARY KEY REFERENCES access_requests (id) ON DELETE CASCADE,
    channel     text        NOT NULL,
    ts          text        NOT NULL,
    posted_at   timestamptz NOT NULL
);

-- A Slack user who counts as a stint person: made only by that person, signed in to the web
-- pages, typing back a code stint sent to the Slack user. One Slack user per person and one
-- person per Slack user. principal holds the verified claims of the person's latest web
-- sign-in (never a token), verified_at when that sign-in was: a click is judged on them.
CREATE TABLE slack_links (
    team_id     text        NOT NULL,
    user_id     text        NOT NULL,
    issuer      text        NOT NULL,
    subject     text        NOT NULL,
    principal   jsonb       NOT NULL,
    verified_at timestamptz NOT NULL,
    linked_at   timestamptz NOT NULL,
    PRIMARY KEY (team_id, user_id),
    UNIQUE (issuer, subject)
);

-- A link being made: the SHA-256 of the code sent to the Slack user (never the code), tried at
-- most a few times before it is spent, and short-lived. One at a time per person.
CREATE TABLE slack_link_codes (
    issuer      text        NOT NULL,
    subject     text        NOT NULL,
    team_id     text        NOT NULL,
    user_id     text        NOT NULL,
    code_hash   bytea       NOT NULL,
    attempts    integer     NOT NULL DEFAULT 0,
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (issuer, subject)
);
