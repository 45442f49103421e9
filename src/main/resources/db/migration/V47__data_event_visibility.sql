-- What stint can see of a grant's calls (docs/activity.md, "What stint can see"). CloudTrail's
-- event history, where each AWS session is looked up, holds management events only: data events
-- (S3 object reads and writes, DynamoDB item calls, Lambda invocations, …) reach stint only by the
-- EventBridge push, and only from an account whose trail logs them. So a session's data events
-- count as seen only once the push has delivered a data event from the account of its role.

-- account: the AWS account whose logs hold an AWS session's calls, the account of the role it was
-- minted on (the ledger's target); null for other clouds, or a target that is not a role ARN.
ALTER TABLE activity_lookups ADD COLUMN account text;

UPDATE activity_lookups l
SET account = split_part(c.target, ':', 5)
FROM credentials c
WHERE c.id = l.credential_id AND l.cloud = 'aws' AND c.target LIKE 'arn:%:iam::%:role/%';

CREATE OR REPLACE FUNCTION activity_lookup_for_credential() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO activity_lookups (credential_id, request_id, cloud, access_key_id, issued_at, next_at,
                                  account)
    VALUES (NEW.id, NEW.request_id, NEW.cloud, NEW.access_key_id, NEW.issued_at, NEW.issued_at,
            CASE WHEN NEW.target LIKE 'arn:%:iam::%:role/%' THEN split_part(NEW.target, ':', 5) END)
    ON CONFLICT (credential_id) DO NOTHING;
    RETURN NULL;
END
$$;

-- Each AWS account from which the push has delivered a data event: when first, and when last
-- (written at most once a minute per replica and account, as activity_sources is).
CREATE TABLE activity_data_pushed (
    account   text        PRIMARY KEY,
    first_at  timestamptz NOT NULL,
    last_at   timestamptz NOT NULL
);
