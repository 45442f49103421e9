-- A profile's end_when: each live grant of such a profile is rechecked every facts.recheck, by one
-- replica at a time, which claims it by moving end_checked_at forward (FOR UPDATE SKIP LOCKED).
ALTER TABLE grants ADD COLUMN end_checked_at timestamptz;
