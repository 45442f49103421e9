package dev.stint.testing;

import dev.stint.config.DatabaseUrl;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A request's activity written straight into a test database, for tests of what reads it (pages,
 * commands, reports) rather than of how it is looked up (ActivityEndToEndIT): a credential in the
 * ledger, its lookup row (added by the migration's trigger) marked looked up and settled so the
 * server's rounds leave it alone, and calls in {@code activity_events}.
 */
public final class ActivityRows {
  private ActivityRows() {}

  /**
   * An AWS credential with {@code key} on {@code request}'s grant, last looked up at {@code at}.
   */
  public static void credential(DatabaseUrl db, String request, String key, Instant at)
      throws SQLException {
    AuditTables.execute(
        TestPostgres.asSuperuser(db),
        "INSERT INTO credentials (id, event_id, grant_id, request_id, holder_issuer,"
            + " holder_subject, profile, cloud, target, access_key_id, revocable, issued_at,"
            + " expires_at) SELECT 'crd_' || lower('"
            + key
            + "'), gen_random_uuid(), g.id, g.request_id, g.principal_issuer,"
            + " g.principal_subject, g.profile, 'aws', 'arn:aws:iam::111122223333:role/prod', '"
            + key
            + "', true, g.starts_at, g.ends_at FROM grants g WHERE g.request_id = '"
            + request
            + "'; UPDATE activity_lookups SET checked_at = timestamptz '"
            + at
            + "', settled_at = timestamptz '"
            + at
            + "' WHERE access_key_id = '"
            + key
            + "'");
  }

  /**
   * {@code n} calls made with {@code key}, a minute apart after {@code from}: every third to IAM,
   * the rest to S3; the newest failed with AccessDenied.
   */
  public static void calls(DatabaseUrl db, String key, int n, Instant from) throws SQLException {
    AuditTables.execute(
        TestPostgres.asSuperuser(db),
        "INSERT INTO activity_events (event_id, credential_id, request_id, at, source, name,"
            + " region, source_ip, error_code, access_key_id)"
            + " SELECT c.access_key_id || '-' || i, c.id, c.request_id, timestamptz '"
            + from
            + "' + i * interval '1 minute',"
            + " CASE WHEN i % 3 = 0 THEN 'iam.amazonaws.com' ELSE 's3.amazonaws.com' END,"
            + " CASE WHEN i % 3 = 0 THEN 'GetRole' ELSE 'GetObject' END, 'eu-west-1',"
            + " '198.51.100.7', CASE WHEN i = "
            + n
            + " THEN 'AccessDenied' END, c.access_key_id"
            + " FROM credentials c, generate_series(1, "
            + n
            + ") i WHERE c.access_key_id = '"
            + key
            + "'");
  }
}
