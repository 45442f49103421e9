-- Issue 73: a revoked IAM Identity Center grant's sessions were issued by AWS (the access portal,
-- `aws sso login`), not by stint, so no source identity of stint's names them: the permission
-- set's provisioned role denies that user's sessions issued before the revoke ("aws:userid" ends
-- with ":<UserName>"). One row per role and user; a later revoke of the same user's grant there
-- moves the cutoff on. Kept until no session it denies can be alive.
CREATE TABLE revocation_user_cutoffs (
    role_arn      text        NOT NULL,
    user_name     text        NOT NULL,
    cutoff        timestamptz NOT NULL,
    until         timestamptz NOT NULL,
    grant_id      text        NOT NULL,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (role_arn, user_name)
);
