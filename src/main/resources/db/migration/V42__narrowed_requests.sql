-- Narrowed profiles (docs/policies.md, "Narrowed profiles"; issue 54).
--
-- A request on a narrowed profile keeps the values its requester gave the profile's parameters
-- and the document they filled (the session policy's statements or the access boundary), exactly
-- as approvers saw it: the text is kept as written, not as jsonb, so its SHA-256 in the ledger and
-- the audit can be computed from it again. Its grant keeps both too: a credential is minted on the
-- grant's own values, and a grant serves only asks with the same values (compared as jsonb).
-- Rows from before are not narrowed: no values, no document.
ALTER TABLE access_requests
    ADD COLUMN parameters      jsonb NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN narrowed_policy text;

ALTER TABLE grants
    ADD COLUMN parameters      jsonb NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN narrowed_policy text;

-- A credential records the values it was minted with and the SHA-256 of the document they filled.
ALTER TABLE credentials
    ADD COLUMN parameters             jsonb,
    ADD COLUMN narrowed_policy_sha256 text;
