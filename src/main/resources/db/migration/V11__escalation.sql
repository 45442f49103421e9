-- Escalation (issue 23): when the sweeper recorded request.escalated for a pending request, so
-- that it is recorded (and notifiers told) once per request, by one replica.
ALTER TABLE access_requests ADD COLUMN escalated_at timestamptz;
CREATE INDEX access_requests_escalation_due ON access_requests (created_at)
    WHERE state = 'pending' AND escalated_at IS NULL;
