-- An access review's evidence says how many of a person's grants that ended without a call seen
-- could have made calls stint cannot see (data events without the push, an Azure token's reads,
-- a console link's session): a removal is never suggested on those (docs/reviews.md). Null for
-- the items of reviews opened before it was counted.
ALTER TABLE access_review_items ADD COLUMN unused_unseen int
    CHECK (unused_unseen BETWEEN 0 AND unused_grants);
