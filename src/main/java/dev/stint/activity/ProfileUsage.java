package dev.stint.activity;

import dev.stint.common.Timestamps;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What each person's grants of one profile did in a period, for an access review's evidence: the
 * grants approved in it, those of them that ended without a call seen, and the calls seen, from the
 * usage rows and the calls kept ({@code grant_usage}, {@code activity_events}), in one query for
 * everyone however many people the review lists; and, for the grants that ended without a call
 * seen, what stint could see of their calls ({@link Visibility}, from their lookups), since "no
 * call seen" proves nothing where calls could have been made unseen.
 */
public final class ProfileUsage {
  static final String QUERY =
      "SELECT u.requester_issuer, u.requester_subject, count(*) AS grants,"
          + " count(*) FILTER (WHERE NOT u.used AND u.ended_at <= $3) AS unused,"
          + " COALESCE(sum(e.calls), 0) AS calls FROM grant_usage u"
          + " LEFT JOIN LATERAL (SELECT count(*) AS calls FROM activity_events"
          + " WHERE request_id = u.request_id) e ON true"
          + " WHERE u.profile = $1 AND u.approved_at >= $2"
          + " GROUP BY u.requester_issuer, u.requester_subject";

  /**
   * Each grant of {@link #QUERY}'s that ended without a call seen, with what its lookups tell of
   * what could be seen: the credentials it handed out (the tallies not folded in yet included, as
   * the report of grants never used counts them) and {@link LookupFacts}' columns.
   */
  static final String UNUSED =
      "SELECT u.requester_issuer, u.requester_subject,"
          + " u.credentials + COALESCE((SELECT sum(t.credentials) FROM grant_usage_tally t"
          + " WHERE t.request_id = u.request_id), 0) AS issued, f.aws_sessions, f.azure_tokens, f.silent"
          + " FROM grant_usage u CROSS JOIN LATERAL ("
          + LookupFacts.over("l.request_id = u.request_id")
          + ") f WHERE u.profile = $1 AND u.approved_at >= $2 AND NOT u.used AND u.ended_at <= $3";

  /**
   * When each requester's latest Identity Center grant of the profile got its portal access (its
   * assignment made): such a grant hands out no credential, so the ledger never shows it.
   */
  static final String PORTAL =
      "SELECT u.requester_issuer, u.requester_subject, max(p.from_at) AS last"
          + " FROM activity_portal_access p JOIN grant_usage u ON u.request_id = p.request_id"
          + " WHERE u.profile = $1 GROUP BY u.requester_issuer, u.requester_subject";

  /** A requester as the requests name them: the issuer URL and subject. */
  public record Requester(String issuer, String subject) {}

  /**
   * One person's use of the profile in the period: {@code unusedUnseen} of the {@code unusedGrants}
   * could have made calls stint cannot see, for the reasons {@code unseen} gives (whole when none).
   */
  public record Usage(
      int grants, int unusedGrants, long calls, int unusedUnseen, Visibility unseen) {
    public static final Usage NONE = new Usage(0, 0, 0, 0, Visibility.NOTHING_ISSUED);
  }

  private final Pool pool;
  private final Visibility.Push push;

  /** {@code push}: whether the CloudTrail ingest is on, without which no data event is seen. */
  public ProfileUsage(Pool pool, Visibility.Push push) {
    this.pool = pool;
    this.push = push;
  }

  /** Each requester with a grant of {@code profile} approved from {@code since}, at {@code now}. */
  public Future<Map<Requester, Usage>> since(String profile, Instant since, Instant now) {
    Tuple args = Tuple.of(profile, Timestamps.utc(since), Timestamps.utc(now));
    Future<Map<Requester, List<Visibility>>> unused =
        pool.preparedQuery(UNUSED).execute(args).map(this::unused);
    return unused.compose(
        views ->
            pool.preparedQuery(QUERY)
                .execute(args)
                .map(
                    rows -> {
                      Map<Requester, Usage> out = new HashMap<>();
                      for (Row r : rows) {
                        Requester who = requester(r);
                        List<Visibility> of = views.getOrDefault(who, List.of());
                        int unusedGrants = r.getLong("unused").intValue();
                        // Read a moment apart: a grant used in between is no longer unused here.
                        int unseen =
                            (int)
                                Math.min(unusedGrants, of.stream().filter(v -> !v.whole()).count());
                        out.put(
                            who,
                            new Usage(
                                r.getLong("grants").intValue(),
                                unusedGrants,
                                r.getLong("calls"),
                                unseen,
                                Visibility.merged(of)));
                      }
                      return out;
                    }));
  }

  /**
   * When each requester's latest Identity Center grant of {@code profile} got its portal access:
   * for an access review, the evidence the ledger's credentials give of other grants.
   */
  public Future<Map<Requester, Instant>> lastPortalAccess(String profile) {
    return pool.preparedQuery(PORTAL)
        .execute(Tuple.of(profile))
        .map(
            rows -> {
              Map<Requester, Instant> out = new HashMap<>();
              for (Row r : rows) {
                out.put(requester(r), r.getOffsetDateTime("last").toInstant());
              }
              return out;
            });
  }

  private Map<Requester, List<Visibility>> unused(Iterable<Row> rows) {
    Map<Requester, List<Visibility>> out = new HashMap<>();
    for (Row r : rows) {
      out.computeIfAbsent(requester(r), k -> new ArrayList<>())
          .add(LookupFacts.visibility(r, r.getLong("issued"), push));
    }
    return out;
  }

  private static Requester requester(Row r) {
    return new Requester(r.getString("requester_issuer"), r.getString("requester_subject"));
  }
}
