-- One cursor per audit sink: the seq of the last event the sink has acknowledged. A replica
-- delivers for a sink only while it holds the lease, so two replicas never send one batch at
-- once; a crash only delays delivery until the lease runs out, and the batch is sent again.
CREATE TABLE audit_sink_cursors (
    sink         text        PRIMARY KEY,
    seq          bigint      NOT NULL DEFAULT 0,
    lease_owner  text,
    lease_until  timestamptz,
    last_error   text,
    updated_at   timestamptz NOT NULL
);
