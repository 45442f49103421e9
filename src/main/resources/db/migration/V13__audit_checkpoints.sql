-- Signed checkpoints of the audit chain head (docs/audit.md, "Checkpoints"). The signed text is
-- kept here too, so any replica can deliver it, but what vouches for the chain is its copy at
-- the anchors outside the database: a superuser can delete these rows, not forge a signature.
CREATE TABLE audit_checkpoints (
    seq          bigint      PRIMARY KEY,
    hash         text        NOT NULL,
    signed_at    timestamptz NOT NULL,
    digest       text        NOT NULL UNIQUE,
    prev_digest  text,
    kid          text        NOT NULL,
    jws          text        NOT NULL
);

-- One row per checkpoint and anchor until the anchor has it; retried with back-off.
CREATE TABLE audit_checkpoint_deliveries (
    seq             bigint      NOT NULL REFERENCES audit_checkpoints (seq),
    anchor          text        NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      text,
    delivered_at    timestamptz,
    PRIMARY KEY (seq, anchor)
);
CREATE INDEX audit_checkpoint_deliveries_due ON audit_checkpoint_deliveries (next_attempt_at)
    WHERE delivered_at IS NULL;
