-- Access reviews (issue 56): every so often the reviewers of a profile confirm, person by person,
-- who may still request it, with the evidence of use beside each name. A review is opened with
-- its items (one per person eligible at that moment) and what it does with an item nobody decides
-- (when_overdue), as recorded then: a later policy changes neither.
CREATE TABLE access_reviews (
    id                 text        PRIMARY KEY,
    profile            text        NOT NULL,
    state              text        NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
    opened_at          timestamptz NOT NULL,
    opened_by_issuer   text,
    opened_by_subject  text,
    period_start       timestamptz NOT NULL CHECK (period_start <= opened_at),
    due_at             timestamptz NOT NULL CHECK (due_at > opened_at),
    when_overdue       text        NOT NULL CHECK (when_overdue IN ('keep', 'suspend')),
    closed_at          timestamptz,
    closed_how         text        CHECK (closed_how IN ('decided', 'overdue')),
    CHECK ((opened_by_issuer IS NULL) = (opened_by_subject IS NULL)),
    CHECK ((state = 'closed') = (closed_at IS NOT NULL)),
    CHECK ((closed_at IS NULL) = (closed_how IS NULL))
);
-- One review of a profile open at a time; the schedule finds the latest per profile.
CREATE UNIQUE INDEX access_reviews_one_open ON access_reviews (profile) WHERE state = 'open';
CREATE INDEX access_reviews_profile ON access_reviews (profile, opened_at DESC);
CREATE INDEX access_reviews_due ON access_reviews (due_at) WHERE state = 'open';

-- One person under review, with the evidence as it stood when the review opened, and the decision.
CREATE TABLE access_review_items (
    review_id           text        NOT NULL REFERENCES access_reviews (id),
    issuer              text        NOT NULL,
    subject             text        NOT NULL,
    email               text,
    eligible_by         jsonb       NOT NULL,
    grants              int         NOT NULL CHECK (grants >= 0),
    last_minted         timestamptz,
    calls               bigint      NOT NULL CHECK (calls >= 0),
    unused_grants       int         NOT NULL CHECK (unused_grants BETWEEN 0 AND grants),
    suggestion          text        NOT NULL CHECK (suggestion IN ('keep', 'remove')),
    suggestion_why      text        NOT NULL,
    suspended           boolean     NOT NULL,
    decision            text        CHECK (decision IN ('keep', 'remove')),
    decided_by_issuer   text,
    decided_by_subject  text,
    decided_at          timestamptz,
    comment             text        CHECK (length(comment) <= 500),
    overdue             boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (review_id, issuer, subject),
    CHECK ((decision IS NULL) = (decided_at IS NULL)),
    CHECK ((decided_by_issuer IS NULL) = (decided_by_subject IS NULL)),
    CHECK (NOT overdue OR (decision IS NOT NULL AND decided_by_issuer IS NULL)),
    CHECK (decision IS NULL OR overdue OR decided_by_issuer IS NOT NULL)
);

-- A person's eligibility for a profile, suspended by a review's removal until a later review
-- keeps them or an admin restores it. A policy or group change alone never lifts it.
CREATE TABLE eligibility_suspensions (
    id                   bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    profile              text        NOT NULL,
    issuer               text        NOT NULL,
    subject              text        NOT NULL,
    review_id            text        NOT NULL REFERENCES access_reviews (id),
    suspended_at         timestamptz NOT NULL,
    restored_at          timestamptz,
    restored_by_issuer   text,
    restored_by_subject  text,
    restored_by_review   text        REFERENCES access_reviews (id),
    CHECK (restored_at IS NULL OR (restored_by_issuer IS NULL) <> (restored_by_review IS NULL)),
    CHECK ((restored_by_issuer IS NULL) = (restored_by_subject IS NULL))
);
CREATE UNIQUE INDEX eligibility_suspended
    ON eligibility_suspensions (profile, issuer, subject) WHERE restored_at IS NULL;

-- The ledger's (and the usage rows') evidence per person of one profile, read once per review.
CREATE INDEX credentials_profile_holder
    ON credentials (profile, holder_issuer, holder_subject, issued_at DESC);
CREATE INDEX grant_usage_profile ON grant_usage (profile, approved_at);

-- When the schedule first found each profile declaring access_review: its first review opens one
-- period after that (as the next opens one period after the last), never at once on a rollout;
-- an admin opens one sooner on demand.
CREATE TABLE access_review_schedule (
    profile      text        PRIMARY KEY,
    declared_at  timestamptz NOT NULL
);
