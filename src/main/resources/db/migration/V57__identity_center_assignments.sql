-- What stint did in IAM Identity Center for each grant of an identity_center profile: the account
-- assignment it made (or found) for the grant's person, where (recorded when the grant started, so
-- its end acts on this and never on today's policy), and how far it has gone. stint_created says
-- whether stint made the assignment (or shares one an earlier stint grant made): only then may
-- stint delete it. It is set before stint asks AWS to create it, so a delivery cut short after AWS
-- made it still finds it stint's. request_token is AWS's id of the creation or deletion in progress, so a
-- delivery cut short resumes polling it rather than asking twice. region and the two endpoints
-- (NULL: AWS's own for the region) are where the instance's APIs were reached when the grant
-- started: every later call about the assignment (its polling, its deletion, the revoke's deny on
-- the provisioned role) goes there, whatever the configuration says by then. holder_issuer and
-- holder_subject are the person the grant is for: one directory user is held by one person at a
-- time (docs/clouds.md). ending_at is when the grant's end (revoke or expiry) was recorded, in that
-- end's own transaction, before its deletion is delivered: a revocation judging whether another of
-- the person's grants still holds the assignment counts none that has ended, so grants ended
-- together (a leaver's, a review's) never each leave the deny to the other. refused_stage,
-- refusal and refused_at record the first lasting refusal of the assignment's creation or deletion
-- (AWS refused stint's call in a way retrying will not fix, or kept failing past
-- outbox.give_up_after), written with its assignment.refused event, so the alarm is raised once
-- per stage however many times the outbox retries; the state names stay the contract's.
CREATE TABLE identity_center_assignments (
  grant_id text PRIMARY KEY,
  request_id text NOT NULL,
  instance_arn text NOT NULL,
  identity_store_id text NOT NULL,
  account_id text NOT NULL,
  permission_set_arn text NOT NULL,
  region text NOT NULL,
  sso_admin_endpoint text,
  identitystore_endpoint text,
  holder_issuer text NOT NULL,
  holder_subject text NOT NULL,
  user_name text,
  user_id text,
  state text NOT NULL
    CHECK (state IN ('creating', 'created', 'deleting', 'deleted', 'failed')),
  stint_created boolean NOT NULL DEFAULT false,
  request_token text,
  reason text,
  ending_at timestamptz,
  refused_stage text CHECK (refused_stage IN ('creation', 'deletion')),
  refusal text,
  refused_at timestamptz,
  updated_at timestamptz NOT NULL
);

-- The grants that hold one assignment (one user, account and permission set) at once, or are
-- deleting it.
CREATE INDEX identity_center_assignments_live
  ON identity_center_assignments (instance_arn, account_id, permission_set_arn, user_id)
  WHERE state IN ('creating', 'created', 'deleting');

-- The grants that hold one directory user, whoever's they are.
CREATE INDEX identity_center_assignments_user
  ON identity_center_assignments (instance_arn, user_id)
  WHERE state IN ('creating', 'created');
