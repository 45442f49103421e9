package dev.stint.activity;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The report of grants without a call seen: approved grants whose end (their revocation when
 * earlier) falls in a window and has passed, with no call seen, each with what stint could see of
 * its calls ({@link Visibility}: "no call seen" is "not used" only where it saw every call). That
 * covers both ways a grant goes unused: nothing the cloud's logs can be asked about was issued on
 * it (no lookup row), or what was made no call. It reads {@code grant_usage} (V38): a row per grant
 * that the triggers on the grants, the credentials ledger, the lookups and the calls keep in the
 * transactions that change them (the counts through tallies the rounds fold in), so the report
 * costs one index range, and a probe of the few tallies not folded yet per grant listed, however
 * large those tables grow.
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
  private final Visibility.Push push;

  /** {@code push}: whether the CloudTrail ingest is on, without which no data event is seen. */
  public UnusedGrants(Pool pool, Visibility.Push push) {
    this.pool = pool;
    this.push = push;
  }

  /** Who asked for the grant, as the request records them. */
  public record Requester(String issuer, String subject, Optional<String> email) {}

  /**
   * One unused grant. {@code credentials}: handed out on it (the ledger's rows, withheld ones not
   * counted); {@code lookedUp}: those the cloud's logs can be asked about; {@code settled}: each of
   * those had its last lookup, so no late record can still show a call; {@code visibility}: what
   * stint could see of their calls.
   */
  public record Grant(
      String requestId,
      String profile,
      Requester requester,
      Instant approvedAt,
      Instant endedAt,
      long credentials,
      long lookedUp,
      boolean settled,
      Visibility visibility) {}

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
        .compose(
            rows -> {
              List<Row> listed = new ArrayList<>();
              rows.forEach(listed::add);
              boolean truncated = listed.size() > LIMIT;
              List<Row> kept = truncated ? listed.subList(0, LIMIT) : listed;
              return visibility(kept)
                  .map(
                      seen -> {
                        List<Grant> out = new ArrayList<>();
                        for (Row r : kept) {
                          out.add(grant(r, seen));
                        }
                        return new Report(since, now, List.copyOf(out), truncated);
                      });
            });
  }

  /** What each listed grant's lookups show, by request; a grant with none has no row. */
  private Future<Map<String, Row>> visibility(List<Row> grants) {
    if (grants.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    String[] ids = grants.stream().map(r -> r.getString("id")).toArray(String[]::new);
    return pool.preparedQuery(LookupFacts.byRequest("l.request_id = ANY($1)"))
        .execute(Tuple.tuple().addArrayOfString(ids))
        .map(
            rows -> {
              Map<String, Row> out = new HashMap<>();
              rows.forEach(r -> out.put(r.getString("request_id"), r));
              return out;
            });
  }

  private Grant grant(Row r, Map<String, Row> seen) {
    long credentials = r.getLong("credentials");
    Row facts = seen.get(r.getString("id"));
    Visibility visibility =
        facts == null
            ? Visibility.of(new Visibility.Facts(credentials, 0, 0, push, List.of()))
            : LookupFacts.visibility(facts, credentials, push);
    return new Grant(
        r.getString("id"),
        r.getString("profile"),
        new Requester(
            r.getString("requester_issuer"),
            r.getString("requester_subject"),
            Optional.ofNullable(r.getString("requester_email"))),
        r.getOffsetDateTime("approved_at").toInstant(),
        r.getOffsetDateTime("ended_at").toInstant(),
        credentials,
        r.getLong("looked_up"),
        r.getBoolean("settled"),
        visibility);
  }

  private static OffsetDateTime at(Instant i) {
    return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }
}
