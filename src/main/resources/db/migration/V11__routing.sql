-- Escalation and reminders (issue 23). escalated_at: when the sweeper recorded
-- request.escalated for a pending request, so that it is recorded (and notifiers told) once per
-- request, by one replica. reminded_at: when it last re-notified the approvers of a pending
-- request (approval.remind_after counts from it, or from the request's creation before the first).
ALTER TABLE access_requests ADD COLUMN escalated_at timestamptz;
ALTER TABLE access_requests ADD COLUMN reminded_at timestamptz;
CREATE INDEX access_requests_escalation_due ON access_requests (created_at)
    WHERE state = 'pending' AND escalated_at IS NULL;
CREATE INDEX access_requests_pending_routing ON access_requests (profile)
    WHERE state = 'pending';
