-- Every replica keeps what the directory says of each person in memory (directory.DirectoryView),
-- because it is asked on every call. Any statement that changes the directory's users, their
-- groups or a deprovisioned mark tells them on stint_directory. A notification is sent only when
-- its transaction commits, and those of one transaction with the same payload arrive once, so a
-- replica re-reads after the change is visible and not once per row.
CREATE FUNCTION directory_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('stint_directory', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER directory_users_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON directory_users FOR EACH STATEMENT EXECUTE FUNCTION directory_changed();
CREATE TRIGGER directory_groups_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON directory_groups FOR EACH STATEMENT EXECUTE FUNCTION directory_changed();
CREATE TRIGGER directory_members_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON directory_members FOR EACH STATEMENT EXECUTE FUNCTION directory_changed();
CREATE TRIGGER directory_deprovisioned_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON directory_deprovisioned FOR EACH STATEMENT EXECUTE FUNCTION directory_changed();
