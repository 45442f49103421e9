-- Indexes found by QueryPlansIT, which explains every store query on a year's worth of rows
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

-- Audit queries filter by type, profile or actor and page in seq order. Indexed by time, an
-- uncommon type was read by walking the whole log in seq order and discarding the rest; indexed
-- in seq order, a page stops after its rows. Time windows become seq bounds in the reader, so
-- these serve a window as well, and the time-ordered ones they replace have no reader left.
DROP INDEX audit_events_actor;
DROP INDEX audit_events_actor_email;
DROP INDEX audit_events_profile;
DROP INDEX audit_events_type;
CREATE INDEX audit_events_actor ON audit_events (actor_subject, seq);
CREATE INDEX audit_events_actor_email ON audit_events (actor_email, seq);
CREATE INDEX audit_events_profile ON audit_events (profile, seq);
CREATE INDEX audit_events_type ON audit_events (type, seq);
