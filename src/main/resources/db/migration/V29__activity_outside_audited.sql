-- A role assumed outside stint is claimed here before its audit record is written, and marked
-- audited after: a claim whose replica stopped before the record (audited_at still empty) is taken
-- over by the next delivery of the event once it is old enough, so the alarm is not lost.
ALTER TABLE activity_outside ADD COLUMN audited_at timestamptz;
UPDATE activity_outside SET audited_at = recorded_at;
