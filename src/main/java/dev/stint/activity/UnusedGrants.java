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
 * It reads {@code grant_usage} (V38): a row per grant that the triggers on the grants, the
 * credentials ledger, the lookups and the calls keep in the transactions that change them (the
 * counts through tallies the rounds fold in), so the report costs one index range, and a probe of
 * the few tallies not folded yet per grant listed, however large those tables grow.
 */
public final class UnusedGrants {
  /** Grants one report lists at most, the latest ends first; it says when more were left out. */
  public static final int LIMIT = 1_000;

  static final String QUERY =
      "SELECT u.request_id AS id, u.profile, u.requester_issuer, u.requester_subject,"
          + " u.requester_email, u.approved_at, u.ended_at,"
          + " u.credentials + COALESCE(t.credentials, 0) AS credentials,"
          + " u.looked_up + COALESCE(t.looked_up, 0) AS looked_up,"
          + " u.unsettled + COALESCE(t.unsettled, 0) = 0 AS settled FROM grant_usage u"
          // The tallies the rounds have not folded in yet: a few seconds' worth.
          + " LEFT JOIN LATERAL (SELECT sum(credentials) AS credentials, sum(looked_up) AS looked_up,"
          + " sum(unsettled) AS unsettled FROM grant_usage_tally WHERE request_id = u.request_id) t"
          + " ON true"
          + " WHERE NOT u.used AND u.ended_at BETWEEN $1 AND $2"
          + " ORDER BY u.ended_at DESC, u.request_id DESC LIMIT $3";

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
   * How the report is planned, for its own transaction only: statistics taken while the table was
   * small would have Postgres read all of it for a window of a few rows. Its index has every row
   * the report can list, so it never needs a sequential scan.
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
