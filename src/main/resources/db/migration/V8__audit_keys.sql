-- Keys the audit needs but must never export: the key of the redaction fingerprints (an HMAC
-- over caller-supplied values that looked like secrets). One row per key, created by the first
-- server that starts; kept apart from audit_events so exports and sinks never carry it.
CREATE TABLE audit_keys (
    name        text        PRIMARY KEY,
    secret      bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
