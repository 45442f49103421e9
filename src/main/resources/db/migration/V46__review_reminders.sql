-- Telling reviewers (issue 56): when a review was announced to them, and when they were reminded
-- that it is nearly due. Each is set by the one sweep that claims it, before the message is sent,
-- so a message goes once across replicas and a restart does not forget one still to send.
ALTER TABLE access_reviews ADD COLUMN announced_at timestamptz;
ALTER TABLE access_reviews ADD COLUMN reminded_at timestamptz;
-- Reviews that opened before reviewers were told are not announced after the fact.
UPDATE access_reviews SET announced_at = opened_at;
CREATE INDEX access_reviews_unannounced ON access_reviews (opened_at)
    WHERE state = 'open' AND announced_at IS NULL;
