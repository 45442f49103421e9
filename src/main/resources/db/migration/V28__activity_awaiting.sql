-- Requests whose credentials have all had their last lookup, while their grant.activity is not yet
-- recorded: each round takes those due (one replica each, due_at doubling as the lease), records
-- the summary once the grant has ended, and leaves the row until the record is written. A grant
-- that outlives its credentials, an audit write that failed and a replica killed mid-way are all
-- taken up again.
CREATE TABLE activity_awaiting (
    request_id  text        PRIMARY KEY,
    due_at      timestamptz NOT NULL
);
CREATE INDEX activity_awaiting_due ON activity_awaiting (due_at);
