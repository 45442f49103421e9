-- Turns to call a cloud API whose rate limit every replica shares (CloudTrail's LookupEvents: a
-- few calls a second per account and region), one row per pacing key the caller composes. A caller
-- takes the next turn in one statement (activity.SharedCallSlots): next_at moves on by the caller's
-- spacing from the later of itself and the database's clock, so turns are handed out in order by
-- one clock whatever the replicas' own clocks say. A caller that took a turn and died wastes it;
-- nothing waits on it. The table holds one small row per key and is never pruned: keys are few
-- (regions, later accounts and regions).
CREATE TABLE cloud_call_slots (
    key      text        PRIMARY KEY,
    next_at  timestamptz NOT NULL
);
