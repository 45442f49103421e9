-- CI tokens already exchanged, per CI rule: a token's jti is accepted once per rule. Rows are
-- pruned once the token has expired (it could not be replayed after that anyway).
CREATE TABLE ci_token_uses (
    rule        text        NOT NULL,
    jti         text        NOT NULL,
    issuer      text        NOT NULL,
    subject     text        NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz NOT NULL,
    PRIMARY KEY (rule, jti)
);
CREATE INDEX ci_token_uses_expiry ON ci_token_uses (expires_at);
