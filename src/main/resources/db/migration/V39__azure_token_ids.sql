-- What names an Entra token in Microsoft's own logs: its uti claim (the token's unique identifier,
-- not a secret), and the tenant that issued it (tid). The Activity Log of Azure Resource Manager
-- records the claims of the token behind every operation, uti among them, so an operation can be
-- tied to the one token stint minted for a grant. NULL for every other credential, and for a token
-- that is not a JWT carrying a uti (there is nothing to match then).
-- token_looked_up: stint looks the token's calls up in a log it reads, as decided at the mint (an
-- Entra token for Azure Resource Manager, with azure.activity configured); NULL without token_id.
ALTER TABLE credentials
    ADD COLUMN token_id        text,
    ADD COLUMN token_tenant    text,
    ADD COLUMN token_looked_up boolean,
    ADD CONSTRAINT credentials_token_looked_up CHECK ((token_id IS NULL) = (token_looked_up IS NULL))
        NOT VALID;
-- Checked apart, under a lock that lets issuance go on: the ledger may be large.
ALTER TABLE credentials VALIDATE CONSTRAINT credentials_token_looked_up;

-- One credential a uti: a token naming another's would have its operations filed under whichever
-- is looked up first. A mint that meets one fails, and hands nothing out.
CREATE UNIQUE INDEX credentials_token_id ON credentials (token_id) WHERE token_id IS NOT NULL;

-- activity_lookups.access_key_id is the key the cloud's log files the credential's calls under:
-- an AWS access key id, or for an Entra token its uti.
COMMENT ON COLUMN activity_lookups.access_key_id IS
    'the credential''s key in its cloud''s log: an AWS access key id, or an Entra token''s uti';

CREATE FUNCTION activity_lookup_for_token() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO activity_lookups (credential_id, request_id, cloud, access_key_id, issued_at, next_at)
    VALUES (NEW.id, NEW.request_id, NEW.cloud, NEW.token_id, NEW.issued_at, NEW.issued_at)
    ON CONFLICT (credential_id) DO NOTHING;
    RETURN NULL;
END
$$;

-- In the transaction that adds the credential, as for AWS sessions (V25), so none is missed.
CREATE TRIGGER credentials_token_activity_lookup
    AFTER INSERT ON credentials
    FOR EACH ROW
    WHEN (NEW.token_id IS NOT NULL AND NEW.token_looked_up AND NEW.request_id IS NOT NULL)
    EXECUTE FUNCTION activity_lookup_for_token();
