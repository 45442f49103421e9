package dev.stint.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Who may do what in one stint database on the embedded server. {@code stint_owner} owns the
 * database, its public schema and everything in it, and is the role migrations run as; {@code
 * stint}, the role requests are served as, may only read and write rows (and not even rewrite audit
 * rows, see db/migration/afterMigrate.sql). Only an owner can alter or drop a table or switch its
 * triggers off, so a stolen runtime connection cannot silence the audit guards. A database laid out
 * by an earlier version (everything owned by {@code postgres}, or by {@code stint}) is moved to
 * this layout in place, rows kept.
 */
final class SchemaRoles {
  private SchemaRoles() {}

  /** Applies the layout to the database {@code superuser} is connected to; safe to repeat. */
  static void apply(Connection superuser) throws SQLException {
    try (Statement s = superuser.createStatement()) {
      boolean earlierLayout = !EmbeddedDatabase.OWNER.equals(databaseOwner(s));
      if (earlierLayout) {
        s.execute("ALTER DATABASE \"" + database(s) + "\" OWNER TO " + EmbeddedDatabase.OWNER);
        s.execute("REASSIGN OWNED BY " + EmbeddedDatabase.ROLE + " TO " + EmbeddedDatabase.OWNER);
        handOverFromSuperuser(s);
      }
      s.execute("ALTER SCHEMA public OWNER TO stint_owner");
      // Nobody but the owner creates objects: the runtime role gets in, reads and writes rows.
      s.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC, stint");
      s.execute("GRANT USAGE ON SCHEMA public TO stint");
      s.execute(
          "ALTER DEFAULT PRIVILEGES FOR ROLE stint_owner IN SCHEMA public"
              + " GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO stint");
      s.execute(
          "ALTER DEFAULT PRIVILEGES FOR ROLE stint_owner IN SCHEMA public"
              + " GRANT USAGE, SELECT ON SEQUENCES TO stint");
      if (earlierLayout) {
        // Default privileges cover tables made from now on; these existed before. The audit
        // table's narrower rights are restored by afterMigrate.sql, which runs after every
        // migrate, so before the server serves a request.
        s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO stint");
        s.execute("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO stint");
      }
    }
  }

  private static String databaseOwner(Statement s) throws SQLException {
    try (ResultSet rs =
        s.executeQuery(
            "SELECT pg_get_userbyid(datdba) FROM pg_database"
                + " WHERE datname = current_database()")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static String database(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT current_database()")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /**
   * Objects in the public schema that {@code postgres} owns move to {@code stint_owner}. REASSIGN
   * OWNED cannot do this: it would take the superuser's system objects along.
   */
  private static void handOverFromSuperuser(Statement s) throws SQLException {
    s.execute(
        """
        DO $$ DECLARE o record; BEGIN
          FOR o IN SELECT c.relname, c.relkind FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
              AND pg_get_userbyid(c.relowner) = 'postgres' LOOP
            EXECUTE format(CASE o.relkind WHEN 'v' THEN 'ALTER VIEW %I OWNER TO stint_owner'
                WHEN 'm' THEN 'ALTER MATERIALIZED VIEW %I OWNER TO stint_owner'
                ELSE 'ALTER TABLE %I OWNER TO stint_owner' END, o.relname);
          END LOOP;
          -- Sequences that belong to a table moved with it; these are the free-standing ones.
          FOR o IN SELECT c.relname FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'public' AND c.relkind = 'S'
              AND pg_get_userbyid(c.relowner) = 'postgres' LOOP
            EXECUTE format('ALTER SEQUENCE %I OWNER TO stint_owner', o.relname);
          END LOOP;
          FOR o IN SELECT p.oid::regprocedure AS sig FROM pg_proc p
              JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) = 'postgres' LOOP
            EXECUTE format('ALTER ROUTINE %s OWNER TO stint_owner', o.sig);
          END LOOP;
        END $$""");
  }
}
