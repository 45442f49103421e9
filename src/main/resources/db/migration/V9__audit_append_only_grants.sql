-- The audit table is append-only for every role but its owner (the role migrations run as):
-- others may read and add rows, never update, delete or truncate them, whatever default
-- privileges gave them when the table was made. The V1 triggers stop the owner as well; this
-- keeps a role that cannot remove those triggers from even trying.
DO $$
DECLARE
    r record;
BEGIN
    REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM PUBLIC;
    FOR r IN
        SELECT DISTINCT a.grantee
        FROM pg_class c, aclexplode(c.relacl) a
        WHERE c.oid = 'audit_events'::regclass
          AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
          AND a.grantee <> c.relowner AND a.grantee <> 0
    LOOP
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM %I',
                       pg_get_userbyid(r.grantee));
    END LOOP;
END
$$;
