package dev.stint.activity;

import dev.stint.common.Timestamps;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * What one profile's own credentials did that the cloud allowed, from a day on: each call (the
 * log's source and name) on each resource, how often and when last, from the rows kept as the calls
 * are kept ({@code activity_profile_calls}, V56), never by reading the calls again; and how many of
 * the profile's grants were live in that time. Counted in whole UTC days: a window starts at the
 * start of its first day.
 */
public final class ProfileCalls {
  static final String CALLS =
      "SELECT source, name, resource, sum(calls)::bigint AS calls, max(last_at) AS last_at"
          + " FROM activity_profile_calls WHERE profile = $1 AND day >= $2"
          + " GROUP BY source, name, resource ORDER BY source, name, resource";

  static final String GRANTS =
      "SELECT count(*) FROM grant_usage WHERE profile = $1 AND ended_at >= $2";

  /**
   * One call on one resource ({@code *} when its record named none), allowed {@code calls} times.
   */
  public record Call(String source, String name, String resource, long calls, Instant lastAt) {}

  /** The profile's grants live in the window, and the calls its credentials made. */
  public record Seen(long grants, List<Call> calls) {
    public Seen {
      calls = List.copyOf(calls);
    }

    public long total() {
      return calls.stream().mapToLong(Call::calls).sum();
    }
  }

  private final Pool pool;

  public ProfileCalls(Pool pool) {
    this.pool = pool;
  }

  /** {@code profile}'s allowed calls from the UTC day of {@code since} on. */
  public Future<Seen> since(String profile, Instant since) {
    LocalDate day = LocalDate.ofInstant(since, ZoneOffset.UTC);
    Future<Long> grants =
        pool.preparedQuery(GRANTS)
            .execute(Tuple.of(profile, Timestamps.utc(since)))
            .map(rows -> rows.iterator().next().getLong(0));
    return grants.compose(
        n ->
            pool.preparedQuery(CALLS)
                .execute(Tuple.of(profile, day))
                .map(
                    rows -> {
                      List<Call> out = new ArrayList<>();
                      for (Row r : rows) {
                        out.add(
                            new Call(
                                r.getString("source"),
                                r.getString("name"),
                                r.getString("resource"),
                                r.getLong("calls"),
                                r.getOffsetDateTime("last_at").toInstant()));
                      }
                      return new Seen(n, out);
                    }));
  }
}
