-- Who revoked or reviewed a grant, as the same (issuer, subject, email) triple used everywhere
-- else; revoked_by / reviewed_by from V1 keep the subject.
ALTER TABLE grants
    ADD COLUMN revoked_by_issuer  text,
    ADD COLUMN revoked_by_email   text,
    ADD COLUMN reviewed_by_issuer text,
    ADD COLUMN reviewed_by_email  text;

-- The sweeper's two questions: which approved grants have ended, which pending requests are old.
CREATE INDEX grants_ending ON grants (ends_at) WHERE revoked_at IS NULL;
CREATE INDEX grants_needing_review ON grants (created_at) WHERE break_glass AND reviewed_at IS NULL;
