-- What the CloudTrail ingest and the lookups found wrong with a call, each recorded in the audit
-- once per event id and kind, however often the event arrives and whichever source brings it:
-- push_mismatched, a pushed call that disagrees with what the credentials ledger recorded of the
-- credential whose key it names (activity.push_mismatched); event_conflicted, an event id that
-- arrived again with other content than the copy kept (activity.event_conflicted). Claimed before
-- the audit record is written and marked audited after, as activity_outside is (V29): a claim
-- whose replica stopped before its record is taken over by the next arrival once it is stale.
CREATE TABLE activity_anomalies (
    event_id     text        NOT NULL,
    kind         text        NOT NULL CHECK (kind IN ('push_mismatched', 'event_conflicted')),
    recorded_at  timestamptz NOT NULL,
    audited_at   timestamptz,
    PRIMARY KEY (event_id, kind)
);
