-- The outbox: what a committed decision still has to do outside the database (end AWS sessions,
-- notify people), written in the decision's own transaction, one row per listener that wants
-- the change, and delivered at least once by whichever replica claims the row first.
CREATE TABLE outbox (
    id              bigserial   PRIMARY KEY,
    listener        text        NOT NULL,
    event           text        NOT NULL,
    request_id      text        NOT NULL,
    actor_issuer    text        NOT NULL,
    actor_subject   text        NOT NULL,
    actor_email     text,
    comment         text,
    happened_at     timestamptz NOT NULL,
    state           text        NOT NULL DEFAULT 'pending'
                                CHECK (state IN ('pending', 'done', 'dead')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    lease_until     timestamptz,
    last_error      text,
    created_at      timestamptz NOT NULL,
    done_at         timestamptz
);

-- Workers look for due pending rows; the metrics for the oldest pending one.
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE state = 'pending';
