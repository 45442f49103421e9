-- Bundles (issue 24): requests made together, with one reason and one approval round. Each
-- profile keeps its own request row and grant (revocable on its own); this table ties them.
-- name is the policy's bundle name when the requester asked for one, else NULL (a listed set).
CREATE TABLE request_bundles (
    request_id  text        PRIMARY KEY REFERENCES access_requests (id) ON DELETE CASCADE,
    bundle_id   text        NOT NULL,
    name        text,
    position    integer     NOT NULL
);
CREATE INDEX request_bundles_bundle ON request_bundles (bundle_id, position);
