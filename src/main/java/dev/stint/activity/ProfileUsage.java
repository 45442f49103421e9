package dev.stint.activity;

import dev.stint.common.Timestamps;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What each person's grants of one profile did in a period, for an access review's evidence: the
 * grants approved in it, those of them that ended without a call seen, and the calls seen, from the
 * usage rows and the calls kept ({@code grant_usage}, {@code activity_events}), in one query for
 * everyone however many people the review lists.
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

  /** A requester as the requests name them: the issuer URL and subject. */
  public record Requester(String issuer, String subject) {}

  /** One person's use of the profile in the period. */
  public record Usage(int grants, int unusedGrants, long calls) {
    public static final Usage NONE = new Usage(0, 0, 0);
  }

  private final Pool pool;

  public ProfileUsage(Pool pool) {
    this.pool = pool;
  }

  /** Each requester with a grant of {@code profile} approved from {@code since}, at {@code now}. */
  public Future<Map<Requester, Usage>> since(String profile, Instant since, Instant now) {
    return pool.preparedQuery(QUERY)
        .execute(Tuple.of(profile, Timestamps.utc(since), Timestamps.utc(now)))
        .map(
            rows -> {
              Map<Requester, Usage> out = new HashMap<>();
              for (Row r : rows) {
                out.put(
                    new Requester(
                        r.getString("requester_issuer"), r.getString("requester_subject")),
                    new Usage(
                        r.getLong("grants").intValue(),
                        r.getLong("unused").intValue(),
                        r.getLong("calls")));
              }
              return out;
            });
  }
}
