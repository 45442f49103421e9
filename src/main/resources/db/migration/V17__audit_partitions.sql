-- audit_events becomes one partition per calendar month (UTC) of occurred_at, so a year of
-- events stays cheap to keep and old months can be exported and dropped whole
-- (docs/audit.md, "Partitions and retention"). Existing rows are copied over in seq order.
--
-- A partitioned table's unique keys must contain the partition key, so seq and event_id are no
-- longer unique by themselves. What that uniqueness guaranteed is kept by audit_chain_head
-- below: every insert must extend the chain from its head, and the head row is updated in the
-- inserting transaction, so two writers can never both write the same seq (the second one's
-- update waits for the first and then finds the head moved). event_id stays unique per
-- (event_id, occurred_at), which still refuses the same event written twice: a retried batch
-- carries the same id and time.

ALTER TABLE audit_events RENAME TO audit_events_unpartitioned;
ALTER TABLE audit_events_unpartitioned RENAME CONSTRAINT audit_events_pkey
    TO audit_events_unpartitioned_pkey;
ALTER TABLE audit_events_unpartitioned RENAME CONSTRAINT audit_events_event_id_key
    TO audit_events_unpartitioned_event_id_key;
DROP INDEX audit_events_time, audit_events_actor, audit_events_actor_email,
    audit_events_profile, audit_events_type, audit_events_request, audit_events_grant;

CREATE TABLE audit_events (LIKE audit_events_unpartitioned INCLUDING DEFAULTS,
    PRIMARY KEY (seq, occurred_at),
    UNIQUE (event_id, occurred_at)
) PARTITION BY RANGE (occurred_at);

CREATE INDEX audit_events_time ON audit_events (occurred_at);
CREATE INDEX audit_events_actor ON audit_events (actor_subject, seq);
CREATE INDEX audit_events_actor_email ON audit_events (actor_email, seq);
CREATE INDEX audit_events_profile ON audit_events (profile, seq);
CREATE INDEX audit_events_type ON audit_events (type, seq);
CREATE INDEX audit_events_request ON audit_events (request_id) WHERE request_id IS NOT NULL;
CREATE INDEX audit_events_grant ON audit_events (grant_id) WHERE grant_id IS NOT NULL;

-- Row triggers on the parent are cloned onto every partition, now and later; a TRUNCATE
-- trigger is per table, so audit_partitions_ensure adds one to each partition it makes.
CREATE TRIGGER audit_events_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
CREATE TRIGGER audit_events_no_truncate
    BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();

-- Takes every right on a partition from everyone but its owner: the runtime role reaches audit
-- rows through the parent only, whose rights afterMigrate.sql narrows (read and add). Without
-- this, the owner's default privileges would hand the runtime role UPDATE and DELETE on it.
CREATE FUNCTION audit_partition_lock_down(part regclass) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    EXECUTE format('REVOKE ALL ON %s FROM PUBLIC', part);
    FOR r IN
        SELECT DISTINCT a.grantee FROM pg_class c, aclexplode(c.relacl) a
        WHERE c.oid = part AND a.grantee <> c.relowner AND a.grantee <> 0
    LOOP
        EXECUTE format('REVOKE ALL ON %s FROM %I', part, pg_get_userbyid(r.grantee));
    END LOOP;
END
$$;

-- The one way month partitions are made: by the server at boot and on its maintenance
-- schedule, by migrations, and by data generators (bench, query-plan test) for past months.
-- Makes every month from the one holding from_time to the one holding to_time that is missing;
-- returns how many it made. SECURITY DEFINER, owned by the schema owner, so the runtime role
-- can keep partitions ahead of the clock without owning the table: all it can do is add empty
-- months within thirteen months of now, never drop, detach or change one.
-- Partitions are made standalone and then attached, which locks the parent only against other
-- schema changes, not against appends; a lock wait is bounded, and the caller retries later.
CREATE FUNCTION audit_partitions_ensure(from_time timestamptz, to_time timestamptz)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET TimeZone = 'UTC' SET lock_timeout = '5s' AS $$
DECLARE
    month timestamp := date_trunc('month', from_time AT TIME ZONE 'UTC');
    last timestamp := date_trunc('month', to_time AT TIME ZONE 'UTC');
    name text;
    made integer := 0;
BEGIN
    IF from_time IS NULL OR to_time IS NULL OR last < month THEN
        RAISE EXCEPTION 'audit_partitions_ensure: % is after %', from_time, to_time
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF last > month + interval '50 years' THEN
        RAISE EXCEPTION 'audit_partitions_ensure: at most fifty years at a time'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- The runtime role makes the months around now only: a clock far off, or a stolen
    -- connection, must not fill the table with thousands of months (every seq-ordered read
    -- visits each) or bring back a month that retention has retired. The owner (migrations,
    -- data generators) may make any.
    IF NOT pg_has_role(session_user,
            (SELECT relowner FROM pg_class WHERE oid = 'audit_events'::regclass), 'USAGE')
        AND (from_time < now() - interval '13 months' OR to_time > now() + interval '13 months')
    THEN
        RAISE EXCEPTION 'audit_partitions_ensure: months more than thirteen months from now'
            ' are made by the schema owner only'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- One caller at a time (replicas at boot): the second finds the months already there.
    PERFORM pg_advisory_xact_lock(x'5354494E54504152'::bigint);
    WHILE month <= last LOOP
        name := 'audit_events_' || to_char(month, 'YYYY_MM');
        IF to_regclass(quote_ident(name)) IS NULL THEN
            EXECUTE format('CREATE TABLE %I (LIKE audit_events INCLUDING DEFAULTS)', name);
            EXECUTE format('ALTER TABLE audit_events ATTACH PARTITION %I'
                || ' FOR VALUES FROM (%L) TO (%L)', name,
                month AT TIME ZONE 'UTC', (month + interval '1 month') AT TIME ZONE 'UTC');
            EXECUTE format('CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON %I'
                || ' FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change()', name);
            PERFORM audit_partition_lock_down(quote_ident(name)::regclass);
            made := made + 1;
        END IF;
        month := month + interval '1 month';
    END LOOP;
    RETURN made;
END
$$;
-- A SECURITY DEFINER function must not find its tables through a caller's search_path.
DO $$ BEGIN
    EXECUTE format('ALTER FUNCTION audit_partitions_ensure(timestamptz, timestamptz)'
        || ' SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION audit_partition_lock_down(regclass)'
        || ' SET search_path = %I, pg_temp', current_schema());
END $$;
REVOKE EXECUTE ON FUNCTION audit_partition_lock_down(regclass) FROM PUBLIC;

-- Every month the existing rows need, and the months around now.
SELECT audit_partitions_ensure(
    least(coalesce((SELECT min(occurred_at) FROM audit_events_unpartitioned), now()), now())
        - interval '1 month',
    now() + interval '3 months');
INSERT INTO audit_events SELECT * FROM audit_events_unpartitioned ORDER BY seq;

-- The chain's head: the seq and hash of the newest event. One row, moved only by the trigger
-- below, in the transaction that inserts; readers find the head here without searching every
-- partition.
CREATE TABLE audit_chain_head (
    only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    seq       bigint  NOT NULL,
    hash      text    NOT NULL
);
INSERT INTO audit_chain_head (seq, hash)
SELECT coalesce(max(seq), 0),
       coalesce((SELECT hash FROM audit_events_unpartitioned ORDER BY seq DESC LIMIT 1),
                repeat('0', 64))
FROM audit_events_unpartitioned;
DROP TABLE audit_events_unpartitioned;

-- Every INSERT must continue the chain exactly: seqs head+1, head+2, ... with none repeated.
-- The head row is updated under its row lock, so of two transactions that both read head N,
-- the second waits, then finds the head moved and fails (unique_violation, as the primary key
-- on seq did). Statement-level, so a batch pays once; SECURITY DEFINER, so the runtime role
-- needs no right to change the head itself.
CREATE FUNCTION audit_events_advance_head() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    first_seq bigint;
    last_seq  bigint;
    total     bigint;
    distinct_seqs bigint;
    last_hash text;
BEGIN
    SELECT min(seq), max(seq), count(*), count(DISTINCT seq)
        INTO first_seq, last_seq, total, distinct_seqs FROM new_rows;
    IF total = 0 THEN
        RETURN NULL;
    END IF;
    SELECT hash INTO last_hash FROM new_rows WHERE seq = last_seq LIMIT 1;
    UPDATE audit_chain_head SET seq = last_seq, hash = last_hash
        WHERE seq = first_seq - 1 AND last_seq - first_seq + 1 = total AND total = distinct_seqs;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'audit_events: seq % to % does not continue the chain head (seq %)',
            first_seq, last_seq, (SELECT seq FROM audit_chain_head)
            USING ERRCODE = 'unique_violation';
    END IF;
    RETURN NULL;
END
$$;
DO $$ BEGIN
    EXECUTE format('ALTER FUNCTION audit_events_advance_head() SET search_path = %I, pg_temp',
        current_schema());
END $$;
CREATE TRIGGER audit_events_chain_head
    AFTER INSERT ON audit_events REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_advance_head();
