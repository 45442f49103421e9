-- Indexes found by QueryPlansTest, which explains every store query on a year's worth of rows
-- and fails on a sequential scan of a large table.
--
-- Request lists are read newest first (created_at DESC, then id to break ties) and paged by a
-- cursor on that pair: an index in exactly that order lets a page stop after its rows instead of
-- sorting the table. One for the unfiltered list (admins, auditors), one per filter the API has.
CREATE INDEX access_requests_recent ON access_requests (created_at DESC, id);
CREATE INDEX access_requests_profile_recent ON access_requests (profile, created_at DESC, id);
DROP INDEX access_requests_state;
CREATE INDEX access_requests_state ON access_requests (state, created_at DESC, id);
CREATE INDEX access_requests_requester_recent
    ON access_requests (requester_issuer, requester_subject, created_at DESC, id);

-- Admins list, and the metrics count, the rows not yet delivered; delivered ones pile up forever.
CREATE INDEX outbox_undelivered ON outbox (id) WHERE state <> 'done';
