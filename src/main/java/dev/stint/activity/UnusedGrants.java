package dev.stint.activity;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The report of grants never used: approved grants whose end (their revocation when earlier) falls
 * in a window and has passed, with no call seen. That covers both ways a grant goes unused: nothing
 * the cloud's logs can be asked about was issued on it (no lookup row), or what was made no call.
 * Its one query reads the requests and grants as {@code access} stores them and the credentials
 * ledger, beside this package's own tables, as the rounds read the ledger: the report is about all
 * of them at once, and no package's rows are written here.
 */
public final class UnusedGrants {
  /** Grants one report lists at most, the latest ends first; it says when more were left out. */
  public static final int LIMIT = 1_000;

  /** When a grant ended: as the grants_ended index has it, so the window and order use it. */
  private static final String ENDED = "LEAST(g.ends_at, COALESCE(g.revoked_at, g.ends_at))";

  static final String QUERY =
      "SELECT r.id, r.profile, r.requester_issuer, r.requester_subject, r.requester_email,"
          + " g.created_at AS approved_at, "
          + ENDED
          + " AS ended_at,"
          + " (SELECT count(*) FROM credentials c WHERE c.grant_id = g.id"
          + " AND c.state <> 'withheld') AS credentials,"
          + " (SELECT count(*) FROM activity_lookups l WHERE l.request_id = r.id) AS looked_up,"
          // Counted over the request's own rows: with settled_at IS NULL in the WHERE, stale
          // statistics let the planner intersect the request's rows with every unsettled lookup
          // (the rounds' due index), a walk of all live credentials per grant listed.
          + " (SELECT count(*) FILTER (WHERE l.settled_at IS NULL) FROM activity_lookups l"
          + " WHERE l.request_id = r.id) = 0 AS settled"
          + " FROM grants g JOIN access_requests r ON r.id = g.request_id"
          + " WHERE "
          + ENDED
          + " BETWEEN $1 AND $2"
          + " AND NOT EXISTS (SELECT 1 FROM activity_events a WHERE a.request_id = g.request_id)"
          + " ORDER BY "
          + ENDED
          + " DESC, g.request_id DESC LIMIT $3";

  private final Pool pool;

  public UnusedGrants(Pool pool) {
    this.pool = pool;
  }

  /** Who asked for the grant, as the request records them. */
  public record Requester(String issuer, String subject, Optional<String> email) {}

  /**
   * One unused grant. {@code credentials}: handed out on it (the ledger's rows, withheld ones not
   * counted); {@code lookedUp}: those the cloud's logs can be asked about; {@code settled}: each of
   * those had its last lookup, so no late record can still show a call.
   */
  public record Grant(
      String requestId,
      String profile,
      Requester requester,
      Instant approvedAt,
      Instant endedAt,
      long credentials,
      long lookedUp,
      boolean settled) {}

  /** The grants that ended from {@code since} to {@code until}; {@code truncated} past LIMIT. */
  public record Report(Instant since, Instant until, List<Grant> grants, boolean truncated) {}

  /**
   * How the report is planned, for its own transaction only. A CI role's grant can hold tens of
   * thousands of credentials while the grants listed hold none or a few; from statistics that
   * average over both, Postgres scans the whole ledger once per grant listed to count its
   * credentials (bench-scale's empty side: 10 s for a report of 600 grants). Every table the report
   * reads has an index for its part, so it never needs a sequential scan.
   */
  static final String PLANNING = "SET LOCAL enable_seqscan = off";

  /** Grants that ended from {@code since} until {@code now} and made no call. */
  public Future<Report> since(Instant since, Instant now) {
    return pool.withTransaction(
            conn ->
                conn.query(PLANNING)
                    .execute()
                    .compose(
                        x ->
                            conn.preparedQuery(QUERY)
                                .execute(Tuple.of(at(since), at(now), LIMIT + 1))))
        .map(
            rows -> {
              List<Grant> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(grant(r));
              }
              boolean truncated = out.size() > LIMIT;
              return new Report(
                  since, now, List.copyOf(truncated ? out.subList(0, LIMIT) : out), truncated);
            });
  }

  private static Grant grant(Row r) {
    return new Grant(
        r.getString("id"),
        r.getString("profile"),
        new Requester(
            r.getString("requester_issuer"),
            r.getString("requester_subject"),
            Optional.ofNullable(r.getString("requester_email"))),
        r.getOffsetDateTime("approved_at").toInstant(),
        r.getOffsetDateTime("ended_at").toInstant(),
        r.getLong("credentials"),
        r.getLong("looked_up"),
        r.getBoolean("settled"));
  }

  private static OffsetDateTime at(Instant i) {
    return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }
}
