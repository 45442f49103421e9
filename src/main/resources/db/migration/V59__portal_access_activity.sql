-- Issue 73: an IAM Identity Center grant hands out no key. Its person signs in through the AWS
-- access portal (or `aws sso login`), and AWS issues their sessions on the permission set's
-- provisioned role, named after their user: CloudTrail files those sessions' calls under
-- userIdentity.arn arn:aws:sts::<account>:assumed-role/AWSReservedSSO_<name>_<suffix>/<UserName>,
-- and LookupEvents finds them by the attribute Username. Those calls are the grant's activity, so
-- activity per grant, grants never used, reviews and findings cover these grants too.
--
-- This is not a row of the credentials ledger: the ledger records credentials stint minted and
-- handed out, each with its credential.issued event, and revocation acts on them (V51). A portal
-- session is none of that: AWS mints it, stint never sees it, and its revoke is a deny of its user's
-- sessions on the provisioned role (V58, written where V60 says). So the grant's "portal access" is activity's own row, and it stands where
-- a credential stands in activity's tables: its id is the credential_id of its lookup and of the
-- calls kept for it, and it counts in the grant's usage as one thing handed out.
--
-- One row per grant whose assignment stint made (or shares with an earlier stint grant), added in
-- the transaction that marks the assignment created, so none is missed. An assignment someone
-- else made is not the grant's: the person had that access without stint, and their calls there
-- are no grant's. from_at: when the assignment was created (no portal session of it is older);
-- the window ends with the grant (grant_usage.ended_at: its end, or its revocation when earlier).
-- role_arn: the provisioned role, found in the account when the portal access is first looked up
-- or matched (NULL until then).
CREATE TABLE activity_portal_access (
    id                  text        PRIMARY KEY,
    grant_id            text        NOT NULL UNIQUE,
    request_id          text        NOT NULL,
    instance_arn        text        NOT NULL,
    identity_store_id   text        NOT NULL,
    account_id          text        NOT NULL,
    permission_set_arn  text        NOT NULL,
    user_name           text        NOT NULL,
    role_arn            text,
    from_at             timestamptz NOT NULL
);
-- Which grant a portal call is: by its account and its session's name (the user name).
CREATE INDEX activity_portal_access_user ON activity_portal_access (account_id, user_name, from_at);

-- A lookup is of a credential of the ledger or of a grant's portal access, which is not in the
-- ledger. Nothing deletes the ledger's rows, so the cascade had nothing to do.
ALTER TABLE activity_lookups DROP CONSTRAINT IF EXISTS activity_lookups_credential_id_fkey;

COMMENT ON COLUMN activity_lookups.access_key_id IS
    'the credential''s key in its cloud''s log: an AWS access key id, an Entra token''s uti, or'
    ' for a grant''s portal access the Identity Center user name (CloudTrail''s Username)';

CREATE FUNCTION activity_portal_for_assignment() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    portal text := 'pta_' || NEW.grant_id;
BEGIN
    INSERT INTO activity_portal_access (id, grant_id, request_id, instance_arn, identity_store_id,
                                        account_id, permission_set_arn, user_name, from_at)
    VALUES (portal, NEW.grant_id, NEW.request_id, NEW.instance_arn, NEW.identity_store_id,
            NEW.account_id, NEW.permission_set_arn, NEW.user_name, NEW.updated_at)
    ON CONFLICT (grant_id) DO NOTHING;
    IF FOUND THEN
        INSERT INTO activity_lookups (credential_id, request_id, cloud, access_key_id, issued_at,
                                      next_at, account)
        VALUES (portal, NEW.request_id, 'aws', NEW.user_name, NEW.updated_at, NEW.updated_at,
                NEW.account_id)
        ON CONFLICT (credential_id) DO NOTHING;
        INSERT INTO grant_usage_tally (request_id, credentials) VALUES (NEW.request_id, 1);
    END IF;
    RETURN NULL;
END
$$;

-- The assignment's settled state is written in its audit event's batch transaction, which every
-- replica's audit records wait on: this writes by inserts alone, which wait on nobody but another
-- insert of the same grant (one person's assignments take turns), as V38's tallies do.
CREATE TRIGGER identity_center_assignments_activity
    AFTER INSERT OR UPDATE OF state, stint_created ON identity_center_assignments
    FOR EACH ROW
    WHEN (NEW.state = 'created' AND NEW.stint_created AND NEW.user_name IS NOT NULL)
    EXECUTE FUNCTION activity_portal_for_assignment();

-- The grants whose assignment stint had made before this table: their portal access from when it
-- was marked created, looked up from then, as the trigger would have added them.
WITH added AS (
    INSERT INTO activity_portal_access (id, grant_id, request_id, instance_arn, identity_store_id,
                                        account_id, permission_set_arn, user_name, from_at)
    SELECT 'pta_' || grant_id, grant_id, request_id, instance_arn, identity_store_id, account_id,
           permission_set_arn, user_name, updated_at
    FROM identity_center_assignments
    WHERE state = 'created' AND stint_created AND user_name IS NOT NULL
    ON CONFLICT (grant_id) DO NOTHING
    RETURNING id, request_id, account_id, user_name, from_at
), looked AS (
    INSERT INTO activity_lookups (credential_id, request_id, cloud, access_key_id, issued_at,
                                  next_at, account)
    SELECT id, request_id, 'aws', user_name, from_at, from_at, account_id FROM added
    ON CONFLICT (credential_id) DO NOTHING
)
INSERT INTO grant_usage_tally (request_id, credentials) SELECT request_id, 1 FROM added;
