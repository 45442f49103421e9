-- Approval in stages. stages: the stages a request was filed with ([{name, count, skipped}], as
-- the policy had them then; NULL for requests filed before stages, which have one stage of
-- approvals_required). stage and stage_opened_at: the open stage of a pending request and when it
-- opened, for the sweeper (escalation and reminders count from there). approvals.stage: the stage
-- a vote was cast in (NULL before stages: the first).
ALTER TABLE access_requests ADD COLUMN stages jsonb;
ALTER TABLE access_requests ADD COLUMN stage text;
ALTER TABLE access_requests ADD COLUMN stage_opened_at timestamptz;
ALTER TABLE approvals ADD COLUMN stage text;
