-- Right-sizing from evidence (docs/policies.md): what each profile's own credentials did that the
-- cloud allowed, kept as the calls are kept, so a suggestion over months of a busy profile reads a
-- few thousand rows instead of every call.

-- The resource a call acted on, where its record names it, as an IAM resource pattern
-- (mint.ActivityLookup.Parameters.resource): an S3 bucket or its objects under a key's first
-- segment, a DynamoDB table, a Lambda function. Calls kept before this have none.
ALTER TABLE activity_events ADD COLUMN resource text;

-- One row per profile, UTC day, call (the log's event source and name: the IAM action is read from
-- them when the suggestion is made, so the mapping is data that a correction applies to the past
-- too) and resource ('*' when the record names none): how many calls the cloud allowed and the
-- last. A call counts for the profile of the request whose credential made it (its grant's usage
-- row: leases mint on their grant, so theirs count too); another profile's calls on the same role
-- are that profile's. A refused call, or any that failed, is an attempt and counts nowhere here.
CREATE TABLE activity_profile_calls (
    profile  text        NOT NULL,
    day      date        NOT NULL,
    source   text        NOT NULL,
    name     text        NOT NULL,
    resource text        NOT NULL,
    calls    bigint      NOT NULL,
    last_at  timestamptz NOT NULL,
    PRIMARY KEY (profile, day, source, name, resource)
);

-- Once per statement over the calls it kept (a call kept before is not in "kept": the insert
-- skips it), summed per row first and written in key order, so two keeps touching the same rows
-- wait for each other in one order and never deadlock.
CREATE FUNCTION activity_profile_calls_count() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    INSERT INTO activity_profile_calls AS t (profile, day, source, name, resource, calls, last_at)
    SELECT u.profile, (k.at AT TIME ZONE 'UTC')::date, k.source, k.name,
           COALESCE(k.resource, '*'), count(*), max(k.at)
    FROM kept k JOIN grant_usage u ON u.request_id = k.request_id
    WHERE k.error_code IS NULL
    GROUP BY 1, 2, 3, 4, 5
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (profile, day, source, name, resource) DO UPDATE
        SET calls = t.calls + excluded.calls, last_at = GREATEST(t.last_at, excluded.last_at);
    RETURN NULL;
END
$$;

CREATE TRIGGER activity_events_profile_calls
    AFTER INSERT ON activity_events
    REFERENCING NEW TABLE AS kept
    FOR EACH STATEMENT
    EXECUTE FUNCTION activity_profile_calls_count();

-- The calls kept before this table, counted once from the calls themselves.
INSERT INTO activity_profile_calls (profile, day, source, name, resource, calls, last_at)
SELECT u.profile, (e.at AT TIME ZONE 'UTC')::date, e.source, e.name, '*', count(*), max(e.at)
FROM activity_events e JOIN grant_usage u ON u.request_id = e.request_id
WHERE e.error_code IS NULL
GROUP BY 1, 2, 3, 4;
