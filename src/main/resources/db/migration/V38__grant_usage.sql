-- What the report of grants never used lists, one row per grant, kept up to date by triggers in the
-- transactions that change what it counts: the report then reads one range of one index, however
-- many credentials, lookups and calls the year has left. Without it, each grant listed cost an
-- index probe into each of the ledger, the lookups (twice) and the calls, whose indexes deepen
-- with every month kept.
--
-- ended_at: the grant's end, or its revocation when earlier (as grants_ended has it);
-- credentials: the ledger's rows of the grant, withheld ones not counted; looked_up: those whose
-- every call the cloud's log records (AWS sessions in CloudTrail; an Azure token's lookups find
-- its Resource Manager writes only, so it is not counted); unsettled: the lookups still awaiting
-- their last; used: a call of the request is in activity_events. The three counts
-- here are those folded in from grant_usage_tally; the report adds the tallies not folded yet.
CREATE TABLE grant_usage (
    request_id         text        PRIMARY KEY,
    grant_id           text        NOT NULL UNIQUE,
    profile            text        NOT NULL,
    requester_issuer   text        NOT NULL,
    requester_subject  text        NOT NULL,
    requester_email    text,
    approved_at        timestamptz NOT NULL,
    ended_at           timestamptz NOT NULL,
    credentials        bigint      NOT NULL DEFAULT 0,
    looked_up          bigint      NOT NULL DEFAULT 0,
    unsettled          bigint      NOT NULL DEFAULT 0,
    used               boolean     NOT NULL DEFAULT false
);
-- The report: the grants without a call that ended in a window, the latest first. A used grant
-- leaves the index; a live one sits past the window's end until it ends.
CREATE INDEX grant_usage_unused ON grant_usage (ended_at, request_id) WHERE NOT used;

-- What changes the counts, appended, never updated: a credential handed out or withheld, a lookup
-- added or settled. An issuance writes here inside the audit batch's transaction, the one every
-- replica's audit records wait on, so it must not wait on a row another transaction holds: a
-- revocation still open (it updates grant_usage.ended_at, and may be waiting on that very batch),
-- or the rounds settling a lookup of the same grant. Inserts wait on nobody. The rounds fold the
-- tallies into grant_usage every few seconds, so few are ever waiting (activity.ActivityStore).
CREATE TABLE grant_usage_tally (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id   text   NOT NULL,
    credentials  int    NOT NULL DEFAULT 0,
    looked_up    int    NOT NULL DEFAULT 0,
    unsettled    int    NOT NULL DEFAULT 0
);
CREATE INDEX grant_usage_tally_request ON grant_usage_tally (request_id);

-- Every grant gets its row when it is approved, and awaits its summary (grant.activity) from its
-- end: a grant that minted nothing the logs can be asked about has no lookup whose last one would
-- put it there. The rounds look again at its end if it was extended, and leave it to its
-- credentials' last lookups if they are still due.
CREATE FUNCTION grant_usage_for_grant() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    ended timestamptz := LEAST(NEW.ends_at, COALESCE(NEW.revoked_at, NEW.ends_at));
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO grant_usage (request_id, grant_id, profile, requester_issuer,
                                 requester_subject, requester_email, approved_at, ended_at)
        SELECT r.id, NEW.id, r.profile, r.requester_issuer, r.requester_subject,
               r.requester_email, NEW.created_at, ended
        FROM access_requests r WHERE r.id = NEW.request_id
        ON CONFLICT (request_id) DO NOTHING;
    ELSE
        UPDATE grant_usage SET ended_at = ended WHERE request_id = NEW.request_id;
    END IF;
    -- Earlier only: due_at doubles as a replica's lease on the row, which a later one would stretch.
    INSERT INTO activity_awaiting (request_id, due_at)
    SELECT NEW.request_id, ended
    WHERE NOT EXISTS (SELECT 1 FROM activity_settled WHERE request_id = NEW.request_id)
    ON CONFLICT (request_id) DO UPDATE SET due_at = LEAST(activity_awaiting.due_at, excluded.due_at);
    RETURN NULL;
END
$$;

CREATE TRIGGER grants_usage_insert
    AFTER INSERT ON grants
    FOR EACH ROW
    EXECUTE FUNCTION grant_usage_for_grant();

CREATE TRIGGER grants_usage_end
    AFTER UPDATE OF ends_at, revoked_at ON grants
    FOR EACH ROW
    WHEN (OLD.ends_at IS DISTINCT FROM NEW.ends_at OR OLD.revoked_at IS DISTINCT FROM NEW.revoked_at)
    EXECUTE FUNCTION grant_usage_for_grant();

-- A credential handed out on a grant, or withheld after all.
-- A withheld credential was never handed out: nobody holds it, so its lookup goes too (the
-- lookups' own trigger takes it off the counts).
CREATE FUNCTION grant_usage_for_credential() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    row_grant text := CASE WHEN TG_OP = 'DELETE' THEN OLD.grant_id ELSE NEW.grant_id END;
    request text := CASE WHEN TG_OP = 'DELETE' THEN OLD.request_id ELSE NEW.request_id END;
    change int := CASE WHEN TG_OP = 'DELETE' THEN -1
                       WHEN TG_OP = 'INSERT' THEN 1
                       WHEN NEW.state = 'withheld' THEN -1 ELSE 1 END;
BEGIN
    IF request IS NULL THEN
        SELECT g.request_id INTO request FROM grants g WHERE g.id = row_grant;
    END IF;
    INSERT INTO grant_usage_tally (request_id, credentials) VALUES (request, change);
    IF TG_OP = 'UPDATE' AND NEW.state = 'withheld' THEN
        DELETE FROM activity_lookups WHERE credential_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER credentials_usage_insert
    AFTER INSERT ON credentials
    FOR EACH ROW
    WHEN (NEW.grant_id IS NOT NULL AND NEW.state <> 'withheld')
    EXECUTE FUNCTION grant_usage_for_credential();

CREATE TRIGGER credentials_usage_delete
    AFTER DELETE ON credentials
    FOR EACH ROW
    WHEN (OLD.grant_id IS NOT NULL AND OLD.state <> 'withheld')
    EXECUTE FUNCTION grant_usage_for_credential();

CREATE TRIGGER credentials_usage_withheld
    AFTER UPDATE OF state ON credentials
    FOR EACH ROW
    WHEN (NEW.grant_id IS NOT NULL AND (OLD.state = 'withheld') <> (NEW.state = 'withheld'))
    EXECUTE FUNCTION grant_usage_for_credential();

-- A credential the logs can be asked about, and its last lookup.
CREATE FUNCTION grant_usage_for_lookup() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO grant_usage_tally (request_id, looked_up, unsettled)
        VALUES (NEW.request_id, CASE WHEN NEW.cloud = 'aws' THEN 1 ELSE 0 END,
                CASE WHEN NEW.settled_at IS NULL THEN 1 ELSE 0 END);
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO grant_usage_tally (request_id, looked_up, unsettled)
        VALUES (OLD.request_id, CASE WHEN OLD.cloud = 'aws' THEN -1 ELSE 0 END,
                CASE WHEN OLD.settled_at IS NULL THEN -1 ELSE 0 END);
    ELSE
        INSERT INTO grant_usage_tally (request_id, unsettled)
        VALUES (NEW.request_id, CASE WHEN NEW.settled_at IS NULL THEN 1 ELSE -1 END);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER activity_lookups_usage_insert
    AFTER INSERT ON activity_lookups
    FOR EACH ROW
    EXECUTE FUNCTION grant_usage_for_lookup();

CREATE TRIGGER activity_lookups_usage_delete
    AFTER DELETE ON activity_lookups
    FOR EACH ROW
    EXECUTE FUNCTION grant_usage_for_lookup();

-- Every lookup writes settled_at (NULL until its last): only a change counts.
CREATE TRIGGER activity_lookups_usage_settled
    AFTER UPDATE OF settled_at ON activity_lookups
    FOR EACH ROW
    WHEN ((OLD.settled_at IS NULL) <> (NEW.settled_at IS NULL))
    EXECUTE FUNCTION grant_usage_for_lookup();

-- A call kept. Once per statement, over the requests it named: the ingest writes one call a
-- statement, and a request already used is only read.
CREATE FUNCTION grant_usage_for_calls() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    UPDATE grant_usage u SET used = true
    FROM (SELECT DISTINCT request_id FROM kept) k
    WHERE u.request_id = k.request_id AND NOT u.used;
    RETURN NULL;
END
$$;

CREATE TRIGGER activity_events_usage
    AFTER INSERT ON activity_events
    REFERENCING NEW TABLE AS kept
    FOR EACH STATEMENT
    EXECUTE FUNCTION grant_usage_for_calls();

-- The rows of grants that have none, counted from the tables themselves; answers how many it
-- added. Here for the grants approved before this table; loaders that skip triggers call it too.
CREATE FUNCTION grant_usage_fill() RETURNS bigint
LANGUAGE sql AS $$
    WITH added AS (
        INSERT INTO grant_usage (request_id, grant_id, profile, requester_issuer,
                                 requester_subject, requester_email, approved_at, ended_at,
                                 credentials, looked_up, unsettled, used)
        SELECT r.id, g.id, r.profile, r.requester_issuer, r.requester_subject, r.requester_email,
               g.created_at, LEAST(g.ends_at, COALESCE(g.revoked_at, g.ends_at)),
               COALESCE(c.n, 0), COALESCE(l.n, 0), COALESCE(l.unsettled, 0),
               e.request_id IS NOT NULL
        FROM grants g
        JOIN access_requests r ON r.id = g.request_id
        LEFT JOIN (SELECT grant_id, count(*) AS n FROM credentials
                   WHERE grant_id IS NOT NULL AND state <> 'withheld' GROUP BY grant_id) c
            ON c.grant_id = g.id
        LEFT JOIN (SELECT request_id, count(*) FILTER (WHERE cloud = 'aws') AS n,
                          count(*) FILTER (WHERE settled_at IS NULL) AS unsettled
                   FROM activity_lookups GROUP BY request_id) l
            ON l.request_id = g.request_id
        LEFT JOIN (SELECT DISTINCT request_id FROM activity_events) e
            ON e.request_id = g.request_id
        WHERE NOT EXISTS (SELECT 1 FROM grant_usage u WHERE u.request_id = g.request_id)
        RETURNING 1
    )
    SELECT count(*) FROM added;
$$;

SELECT grant_usage_fill();

-- Grants still live await their summary from their end, as the trigger has new ones do. Those that
-- ended before this table are not summed up after the fact: a year of grant.activity records
-- written today would say nothing the report does not, and the audit records what happened when
-- it happened. Their credentials' last lookups still sum up those that have any.
INSERT INTO activity_awaiting (request_id, due_at)
SELECT g.request_id, LEAST(g.ends_at, COALESCE(g.revoked_at, g.ends_at))
FROM grants g
WHERE LEAST(g.ends_at, COALESCE(g.revoked_at, g.ends_at)) > now()
  AND NOT EXISTS (SELECT 1 FROM activity_settled s WHERE s.request_id = g.request_id)
ON CONFLICT (request_id) DO NOTHING;
