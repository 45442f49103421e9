-- Run by Flyway after every migrate, so it also covers tables that a database laid out by an
-- earlier stint granted wholesale when it was moved to the owner/runtime roles.
--
-- The audit table is append-only for every role but its owner (the role migrations run as):
-- others may read and add rows, never update, delete or truncate them, whatever default
-- privileges or grants gave them. The V1 triggers stop the owner as well; this keeps a role that
-- cannot remove those triggers from even trying.
-- Signed audit checkpoints are kept the same way (only ever added). The audit table's monthly
-- partitions are reached through it only: nobody but the owner holds any right on one, and the
-- chain head is moved only by the owner's trigger, so others may only read it.
DO $$
DECLARE
    r record;
    t text;
BEGIN
    -- Only the table's owner (or a superuser) can take rights away; a role that merely uses an
    -- already migrated schema has nothing to do here.
    IF NOT pg_has_role(current_user,
            (SELECT relowner FROM pg_class WHERE oid = 'audit_events'::regclass), 'USAGE') THEN
        RETURN;
    END IF;
    FOR r IN SELECT inhrelid FROM pg_inherits WHERE inhparent = 'audit_events'::regclass LOOP
        PERFORM audit_partition_lock_down(r.inhrelid::regclass);
    END LOOP;
    IF to_regclass('audit_chain_head') IS NOT NULL THEN
        REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_chain_head FROM PUBLIC;
        FOR r IN
            SELECT DISTINCT a.grantee FROM pg_class c, aclexplode(c.relacl) a
            WHERE c.oid = 'audit_chain_head'::regclass AND a.grantee <> c.relowner
              AND a.grantee <> 0 AND a.privilege_type <> 'SELECT'
        LOOP
            EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_chain_head FROM %I',
                           pg_get_userbyid(r.grantee));
        END LOOP;
    END IF;
    FOREACH t IN ARRAY ARRAY['audit_events', 'audit_checkpoints'] LOOP
        CONTINUE WHEN to_regclass(t) IS NULL;
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM PUBLIC', t);
        FOR r IN
            SELECT DISTINCT a.grantee
            FROM pg_class c, aclexplode(c.relacl) a
            WHERE c.oid = to_regclass(t)
              AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
              AND a.grantee <> c.relowner AND a.grantee <> 0
        LOOP
            EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM %I', t,
                           pg_get_userbyid(r.grantee));
        END LOOP;
    END LOOP;
END
$$;
