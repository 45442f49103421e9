package dev.stint.access;

import static dev.stint.access.RequestRows.REQUEST_COLUMNS;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the sweeper records about pending requests without changing their state: that one has
 * escalated. Each mark is taken by one replica ({@code SKIP LOCKED} on the request's row, the
 * same lock decisions take) and written with its audit event and outbox rows, so it is recorded
 * and told once.
 */
final class RoutingStore {
  private static final String ESCALATION_DUE = "SELECT " + prefixed(REQUEST_COLUMNS)
      + " FROM access_requests r JOIN unnest($1::text[], $2::timestamptz[]) AS e(profile, due)"
      + " ON r.profile = e.profile WHERE r.state = 'pending' AND r.escalated_at IS NULL"
      + " AND r.created_at <= e.due ORDER BY r.created_at LIMIT 1 FOR UPDATE OF r SKIP LOCKED";

  private final Pool pool;
  private final Outbox outbox;

  RoutingStore(Pool pool, Outbox outbox) {
    this.pool = pool;
    this.outbox = outbox;
  }

  /**
   * Marks escalated the oldest pending request not yet marked that was made at or before its
   * profile's time in {@code dueBy} (profiles absent there do not escalate), and runs
   * {@code beforeCommit} (the audit append) in the same transaction. Empty when none is due.
   */
  Future<Optional<AccessRequest>> escalateNext(Map<String, Instant> dueBy, Instant now,
      Function<AccessRequest, Future<?>> beforeCommit,
      Function<AccessRequest, List<RequestListener.Change>> effects) {
    if (dueBy.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    String[] profiles = dueBy.keySet().toArray(String[]::new);
    OffsetDateTime[] due = new OffsetDateTime[profiles.length];
    for (int i = 0; i < profiles.length; i++) {
      due[i] = RequestRows.time(dueBy.get(profiles[i]));
    }
    return pool.withTransaction(conn -> conn.preparedQuery(ESCALATION_DUE)
        .execute(Tuple.tuple().addValue(profiles).addValue(due))
        .compose(rows -> AccessStore.hydrate(conn, rows))
        .compose(found -> {
          if (found.isEmpty()) {
            return Future.succeededFuture(Optional.<AccessRequest>empty());
          }
          AccessRequest r = found.get(0);
          return conn.preparedQuery("UPDATE access_requests SET escalated_at = $2 WHERE id = $1")
              .execute(Tuple.of(r.id(), RequestRows.time(now)))
              .compose(x -> beforeCommit.apply(r))
              .compose(x -> outbox.enqueue(conn, effects.apply(r)))
              .map(x -> Optional.of(r));
        }));
  }

  private static String prefixed(String columns) {
    return "r." + columns.replace(", ", ", r.");
  }
}
