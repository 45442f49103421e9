package dev.stint.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * What the generated year's credentials were used for, as the activity rounds would have left it:
 * every AWS credential of a request has its lookup row (settled once it ended and the settling time
 * passed, due again otherwise), {@code spec.activity()} calls are spread over the credentials (most
 * made a few calls or none; one in a thousand made hundreds, like a script), every request whose
 * credentials all settled, or that ended with none to look up, has its summary recorded, and every
 * grant has its usage row. Calls fall within their credential's life and carry its access key, as
 * CloudTrail records them.
 */
final class ScaleActivity {
  static final String COLUMNS =
      "event_id, credential_id, request_id, at, source, name, region, source_ip, error_code,"
          + " access_key_id";

  /** The calls of a credential, relative to the mean: ten in a row weigh this much together. */
  private static final int[] WEIGHTS = {0, 0, 0, 0, 0, 1, 1, 2, 4, 12};

  private static final int HEAVY_EVERY = 1_000;
  private static final int HEAVY_WEIGHT = 400;

  /** Sources and names of calls an engineer's session typically makes. */
  private static final String[][] CALLS = {
    {"sts.amazonaws.com", "GetCallerIdentity"},
    {"s3.amazonaws.com", "ListBuckets"},
    {"s3.amazonaws.com", "GetObject"},
    {"ec2.amazonaws.com", "DescribeInstances"},
    {"iam.amazonaws.com", "ListRoles"},
    {"logs.amazonaws.com", "FilterLogEvents"},
    {"cloudformation.amazonaws.com", "DescribeStacks"},
    {"dynamodb.amazonaws.com", "DescribeTable"},
    {"lambda.amazonaws.com", "ListFunctions"},
    {"kms.amazonaws.com", "Decrypt"}
  };

  /** CloudTrail's usual delay, after which a lookup of an ended credential is its last. */
  static final Duration SETTLE = Duration.ofMinutes(15);

  private ScaleActivity() {}

  /** Loads the activity tables from the credentials ledger; answers how many calls it wrote. */
  static long load(Connection c, Connection reader, ScaleSpec spec) throws Exception {
    try (Statement s = c.createStatement()) {
      lookups(s, spec);
    }
    long written = calls(c, reader, spec);
    try (Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO activity_settled (request_id, settled_at)"
              + " SELECT request_id, max(settled_at) FROM activity_lookups GROUP BY request_id"
              + " HAVING bool_and(settled_at IS NOT NULL)");
      // A grant with nothing to look up is summed up at its end.
      String ended = "LEAST(g.ends_at, COALESCE(g.revoked_at, g.ends_at))";
      s.execute(
          "INSERT INTO activity_settled (request_id, settled_at) SELECT g.request_id, "
              + ended
              + " FROM grants g WHERE "
              + ended
              + " <= timestamptz '"
              + spec.end()
              + "' AND NOT EXISTS (SELECT 1 FROM activity_lookups l"
              + " WHERE l.request_id = g.request_id)");
      // The triggers that keep each grant's usage row are skipped by the fast path.
      s.execute("SELECT grant_usage_fill()");
      // As is the one that counts each profile's allowed calls: counted here as the migration
      // counts calls kept before it, once grant_usage names each request's profile.
      s.execute(
          "INSERT INTO activity_profile_calls (profile, day, source, name, resource, calls,"
              + " last_at) SELECT u.profile, (e.at AT TIME ZONE 'UTC')::date, e.source, e.name,"
              + " COALESCE(e.resource, '*'), count(*), max(e.at) FROM activity_events e"
              + " JOIN grant_usage u ON u.request_id = e.request_id WHERE e.error_code IS NULL"
              + " GROUP BY 1, 2, 3, 4, 5");
    }
    return written;
  }

  /** A lookup row per AWS credential of a request, as the ledger's trigger adds them. */
  private static void lookups(Statement s, ScaleSpec spec) throws SQLException {
    String end = "timestamptz '" + spec.end() + "'";
    String ended = "LEAST(expires_at, COALESCE(ended_at, expires_at)) + interval '15 minutes'";
    s.execute(
        "INSERT INTO activity_lookups (credential_id, request_id, cloud, access_key_id,"
            + " issued_at, next_at, checked_at, settled_at)"
            + " SELECT id, request_id, cloud, access_key_id, issued_at,"
            + " CASE WHEN "
            + ended
            + " <= "
            + end
            + " THEN "
            + ended
            + " ELSE "
            + end
            + " + interval '5 minutes' END,"
            + " LEAST("
            + ended
            + ", "
            + end
            + "),"
            + " CASE WHEN "
            + ended
            + " <= "
            + end
            + " THEN "
            + ended
            + " END"
            + " FROM credentials WHERE cloud = 'aws' AND access_key_id IS NOT NULL"
            + " AND request_id IS NOT NULL");
  }

  /**
   * Exactly {@code spec.activity()} calls over the credentials in the order they were issued:
   * credential {@code k} gets its share of the total by its weight, so the count is the spec's
   * whatever the number of credentials.
   */
  private static long calls(Connection c, Connection reader, ScaleSpec spec) throws Exception {
    long credentials;
    try (Statement s = reader.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM activity_lookups")) {
      rs.next();
      credentials = rs.getLong(1);
    }
    if (credentials == 0 || spec.activity() == 0) {
      return 0;
    }
    double total = 0;
    for (long k = 0; k < credentials; k++) {
      total += weight(k);
    }
    SplittableRandom rnd = new SplittableRandom(spec.seed() * 17 + 3);
    reader.setAutoCommit(false); // a cursor: the rows are read in fetches, not all at once
    long written = 0;
    try (PreparedStatement read =
            reader.prepareStatement(
                "SELECT l.credential_id, l.request_id, l.access_key_id, l.issued_at,"
                    + " LEAST(c.expires_at, COALESCE(c.ended_at, c.expires_at)) AS ends_at"
                    + " FROM activity_lookups l JOIN credentials c ON c.id = l.credential_id"
                    + " ORDER BY l.issued_at, l.credential_id");
        CopyPipe out = new CopyPipe(c, "activity_events", COLUMNS)) {
      read.setFetchSize(10_000);
      double before = 0;
      long k = 0;
      try (ResultSet rs = read.executeQuery()) {
        while (rs.next()) {
          double after = before + weight(k++);
          long n =
              Math.round(spec.activity() * after / total)
                  - Math.round(spec.activity() * before / total);
          before = after;
          written += credentialCalls(out, rs, spec, rnd, n);
        }
      }
      out.finish();
    } finally {
      reader.commit();
      reader.setAutoCommit(true);
    }
    return written;
  }

  private static long credentialCalls(
      CopyPipe out, ResultSet rs, ScaleSpec spec, SplittableRandom rnd, long n) throws Exception {
    String credential = rs.getString(1);
    String request = rs.getString(2);
    String key = rs.getString(3);
    Instant from = rs.getTimestamp(4).toInstant();
    Instant until = min(rs.getTimestamp(5).toInstant(), spec.end());
    long span = Math.max(1, Duration.between(from, until).toMillis());
    String ip = "10.20." + (key.charAt(5) % 200) + "." + (key.charAt(6) % 250);
    for (long i = 0; i < n; i++) {
      String[] call = CALLS[rnd.nextInt(CALLS.length)];
      out.col(new UUID(rnd.nextLong(), rnd.nextLong()).toString())
          .col(credential)
          .col(request)
          .col(from.plusMillis((long) (rnd.nextDouble() * span)))
          .col(call[0])
          .col(call[1])
          .col(rnd.nextInt(10) < 7 ? "us-east-1" : "eu-west-1")
          .col(ip)
          .col(rnd.nextInt(20) == 0 ? "AccessDenied" : null)
          .col(key);
      out.endRow();
    }
    return n;
  }

  private static int weight(long k) {
    return k % HEAVY_EVERY == HEAVY_EVERY - 1 ? HEAVY_WEIGHT : WEIGHTS[(int) (k % WEIGHTS.length)];
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
