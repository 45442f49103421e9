-- Every INSERT must also link: its first row's prev_hash is the head's hash, and each later row's
-- prev_hash the hash of the row before it. V17 checked only the seqs, so rows written by hand
-- with the runtime role's rights could fork the chain and only `stint audit verify` would find
-- the fork, later; now the database refuses it as it is written. Whether each hash is right is
-- still for verify: SQL cannot recompute the canonical form the hash covers.
CREATE OR REPLACE FUNCTION audit_events_advance_head() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    first_seq bigint;
    last_seq  bigint;
    total     bigint;
    distinct_seqs bigint;
    last_hash text;
    first_prev text;
    unlinked  bigint;
BEGIN
    SELECT min(seq), max(seq), count(*), count(DISTINCT seq)
        INTO first_seq, last_seq, total, distinct_seqs FROM new_rows;
    IF total = 0 THEN
        RETURN NULL;
    END IF;
    SELECT hash INTO last_hash FROM new_rows WHERE seq = last_seq LIMIT 1;
    SELECT prev_hash INTO first_prev FROM new_rows WHERE seq = first_seq LIMIT 1;
    UPDATE audit_chain_head SET seq = last_seq, hash = last_hash
        WHERE seq = first_seq - 1 AND last_seq - first_seq + 1 = total AND total = distinct_seqs
          AND hash = first_prev;
    IF NOT FOUND THEN
        -- Which check failed, read from the head as it is now: a link error only when the seqs
        -- would have continued it (after a racing writer's commit they no longer do).
        IF (SELECT seq FROM audit_chain_head) = first_seq - 1
                AND last_seq - first_seq + 1 = total AND total = distinct_seqs THEN
            RAISE EXCEPTION 'audit_events: seq % does not link to the chain head (seq %)',
                first_seq, first_seq - 1
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RAISE EXCEPTION 'audit_events: seq % to % does not continue the chain head (seq %)',
            first_seq, last_seq, (SELECT seq FROM audit_chain_head)
            USING ERRCODE = 'unique_violation';
    END IF;
    -- The seqs are contiguous and distinct (checked above), so each row has one predecessor.
    SELECT count(*) INTO unlinked FROM new_rows r JOIN new_rows p ON p.seq = r.seq - 1
        WHERE r.prev_hash IS DISTINCT FROM p.hash;
    IF unlinked > 0 THEN
        RAISE EXCEPTION 'audit_events: seq % to % do not link to one another', first_seq, last_seq
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END
$$;
DO $$ BEGIN
    EXECUTE format('ALTER FUNCTION audit_events_advance_head() SET search_path = %I, pg_temp',
        current_schema());
END $$;
