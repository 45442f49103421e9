package dev.stint.activity;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reading the calls kept in {@code activity_events} and how far their lookups have come ({@code
 * activity_lookups}): for a whole request, or for some of its credentials only (a task lease's).
 */
final class ActivityReads {
  private final Pool pool;
  private final Visibility.Push push;

  /** {@code push}: whether the CloudTrail ingest is on, which data events need to be seen. */
  ActivityReads(Pool pool, Visibility.Push push) {
    this.pool = pool;
    this.push = push;
  }

  /**
   * Whose calls are read: every credential of {@code requestId}, or only {@code credentialIds}
   * among them (none: nothing). The request stays in every query, so an id of another request's
   * credential shows nothing.
   */
  record Scope(String requestId, Optional<List<String>> credentialIds) {
    Scope {
      credentialIds = credentialIds.map(List::copyOf);
    }

    static Scope of(String requestId) {
      return new Scope(requestId, Optional.empty());
    }

    /** The condition on a table with both columns; its arguments are {@link #args}. */
    String where() {
      return credentialIds.isPresent()
          ? "request_id = $1 AND credential_id = ANY($2)"
          : "request_id = $1";
    }

    /** The arguments of {@link #where}; further ones are numbered from {@link #next}. */
    Tuple args() {
      Tuple t = Tuple.of(requestId);
      credentialIds.ifPresent(ids -> t.addArrayOfString(ids.toArray(String[]::new)));
      return t;
    }

    int next() {
      return credentialIds.isPresent() ? 3 : 2;
    }
  }

  /** The calls in all: counts, errors, calls per service, first and last. */
  Future<ActivitySummary> summary(Scope scope) {
    return pool.preparedQuery(
            "SELECT source, count(*) AS calls, count(error_code) AS errors, min(at) AS first_at,"
                + " max(at) AS last_at FROM activity_events WHERE "
                + scope.where()
                + " GROUP BY source")
        .execute(scope.args())
        .compose(
            rows ->
                credentials(scope)
                    .map(
                        minted -> {
                          Map<String, Long> services = new LinkedHashMap<>();
                          long calls = 0;
                          long errors = 0;
                          Instant first = null;
                          Instant last = null;
                          for (Row r : rows) {
                            services.put(r.getString("source"), r.getLong("calls"));
                            calls += r.getLong("calls");
                            errors += r.getLong("errors");
                            first = earliest(first, instant(r, "first_at"));
                            last = latest(last, instant(r, "last_at"));
                          }
                          return new ActivitySummary(
                              calls,
                              errors,
                              services,
                              Optional.ofNullable(first),
                              Optional.ofNullable(last),
                              minted);
                        }));
  }

  /** How many of the credentials can be looked up. */
  private Future<Long> credentials(Scope scope) {
    // AWS's alone: CloudTrail records every call a session makes, while Azure's Activity Log holds
    // only Resource Manager writes in the subscriptions read, so an Azure token's calls are never
    // all seen, whatever its lookups find.
    return pool.preparedQuery(
            "SELECT count(*) AS n FROM activity_lookups WHERE "
                + scope.where()
                + " AND cloud = 'aws'")
        .execute(scope.args())
        .map(rows -> rows.iterator().next().getLong("n"));
  }

  /**
   * What stint can see of the calls of the credentials in the scope: of those the request's grant
   * handed out (withheld ones not counted), or of the credentials the scope names.
   */
  Future<Visibility> visibility(Scope scope) {
    Future<Long> issued =
        scope.credentialIds().isPresent()
            ? Future.succeededFuture((long) scope.credentialIds().get().size())
            : pool.preparedQuery(ActivityStore.ISSUED)
                .execute(Tuple.of(scope.requestId()))
                .map(rows -> rows.iterator().next().getLong(0));
    return issued.compose(
        n ->
            pool.preparedQuery(LookupFacts.over(scope.where()))
                .execute(scope.args())
                .map(rows -> LookupFacts.visibility(rows.iterator().next(), n, push)));
  }

  /** A page of the calls, newest first, after {@code after} when given. */
  Future<List<ActivityEvent>> events(Scope scope, Optional<ActivityCursor> after, int limit) {
    int n = scope.next();
    String sql =
        "SELECT event_id, credential_id, at, source, name, region, source_ip, error_code,"
            + " access_key_id FROM activity_events WHERE "
            + scope.where()
            + (after.isPresent()
                ? " AND (at, event_id) < ($" + (n + 1) + ", $" + (n + 2) + ")"
                : "")
            + " ORDER BY at DESC, event_id DESC LIMIT $"
            + n;
    Tuple args = scope.args().addInteger(limit);
    after.ifPresent(c -> args.addOffsetDateTime(at(c.at())).addString(c.eventId()));
    return pool.preparedQuery(sql)
        .execute(args)
        .map(
            rows -> {
              List<ActivityEvent> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(
                    new ActivityEvent(
                        r.getString("event_id"),
                        instant(r, "at"),
                        r.getString("credential_id"),
                        Optional.ofNullable(r.getString("access_key_id")),
                        r.getString("source"),
                        r.getString("name"),
                        r.getString("region"),
                        Optional.ofNullable(r.getString("source_ip")),
                        Optional.ofNullable(r.getString("error_code"))));
              }
              return out;
            });
  }

  /**
   * When the credentials of each cloud were last looked up everywhere, by cloud: empty before the
   * first lookup of every one of them; a cloud without lookups in the scope is absent.
   */
  Future<Map<String, Optional<Instant>>> checkedAt(Scope scope) {
    return pool.preparedQuery(
            "SELECT cloud, min(checked_at) AS oldest, count(*) FILTER (WHERE checked_at IS NULL)"
                + " AS never FROM activity_lookups WHERE "
                + scope.where()
                + " GROUP BY cloud")
        .execute(scope.args())
        .map(
            rows -> {
              Map<String, Optional<Instant>> out = new LinkedHashMap<>();
              for (Row r : rows) {
                out.put(
                    r.getString("cloud"),
                    r.getLong("never") > 0 || r.getOffsetDateTime("oldest") == null
                        ? Optional.<Instant>empty()
                        : Optional.of(instant(r, "oldest")));
              }
              return out;
            });
  }

  /** Whether every credential in the scope has had its last lookup (none: true). */
  Future<Boolean> settled(Scope scope) {
    return pool.preparedQuery(
            "SELECT count(*) FILTER (WHERE settled_at IS NULL) = 0 AS settled FROM activity_lookups"
                + " WHERE "
                + scope.where())
        .execute(scope.args())
        .map(rows -> rows.iterator().next().getBoolean("settled"));
  }

  private static Instant earliest(Instant a, Instant b) {
    return a == null || b.isBefore(a) ? b : a;
  }

  private static Instant latest(Instant a, Instant b) {
    return a == null || b.isAfter(a) ? b : a;
  }

  private static Instant instant(Row r, String column) {
    return r.getOffsetDateTime(column).toInstant();
  }

  private static OffsetDateTime at(Instant i) {
    return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }
}
