-- Issue 73: AWS refuses every write to the role IAM Identity Center provisions
-- (UnmodifiableEntity: "this role is only modifiable by AWS"), so a revoked grant's portal sessions
-- are denied in the member account's customer managed policy /stint/stint-portal-revocations, which
-- the permission set references and Identity Center attaches to the role. That policy is shared by
-- every such role of the account: each cutoff names the document its deny is written to (the
-- revocation's target, whose turn serializes its writes), beside the role whose sessions it ends.
-- No row can hold a role's ARN as its target (AWS would refuse every write there), so none is
-- filled in: a table holding rows from before this would fail here, loudly, rather than keep cutoffs
-- that no write renders.
ALTER TABLE revocation_user_cutoffs ADD COLUMN target text NOT NULL;
CREATE INDEX revocation_user_cutoffs_target ON revocation_user_cutoffs (target, until);
