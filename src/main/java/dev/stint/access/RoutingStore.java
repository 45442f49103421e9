package dev.stint.access;

import static dev.stint.access.RequestRows.REQUEST_COLUMNS;

import dev.stint.common.Timestamps;
import dev.stint.outbox.Outbox;
import dev.stint.policy.Stage;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the sweeper records about pending requests without changing their state: that one has
 * escalated, or when its approvers were last reminded. Each mark is taken by one replica ({@code
 * SKIP LOCKED} on the request's row, the same lock decisions take) and written with its audit event
 * and outbox rows, so it is recorded and told once.
 */
final class RoutingStore {
  /** The marks, each with the column it sets and when a request is due for it. */
  enum Mark {
    /** Once per stage, when it has been open long enough. */
    ESCALATED(
        "escalated_at",
        "r.escalated_at IS NULL AND coalesce(r.stage_opened_at, r.created_at) <= e.due"),
    /** Once per interval: counted from the last reminder, or from when the stage opened. */
    REMINDED("reminded_at", "coalesce(r.reminded_at, r.stage_opened_at, r.created_at) <= e.due");

    private final String column;
    private final String due;

    Mark(String column, String due) {
      this.column = column;
      this.due = due;
    }

    String select() {
      return "SELECT "
          + prefixed(REQUEST_COLUMNS)
          + " FROM access_requests r"
          + " JOIN unnest($1::text[], $2::text[], $3::timestamptz[]) AS e(profile, stage, due)"
          // A request filed before stages has one, named as the one-stage form names it.
          + " ON r.profile = e.profile AND coalesce(r.stage, '"
          + Stage.SINGLE
          + "') = e.stage WHERE r.state = 'pending' AND "
          + due
          + " ORDER BY r.created_at LIMIT 1 FOR UPDATE OF r SKIP LOCKED";
    }

    String update() {
      return "UPDATE access_requests SET " + column + " = $2 WHERE id = $1";
    }
  }

  private final Pool pool;
  private final Outbox<RequestListener.Change> outbox;

  RoutingStore(Pool pool, Outbox<RequestListener.Change> outbox) {
    this.pool = pool;
    this.outbox = outbox;
  }

  /** When a pending request in one stage of one profile is due: opened (or reminded) by then. */
  record Due(String profile, String stage, Instant by) {}

  /**
   * Sets {@code mark} at {@code now} on the oldest pending request due for it by the time its
   * profile's open stage has in {@code due} (stages absent there are never due), and runs {@code
   * beforeCommit} (the audit append) in the same transaction. Empty when none is due.
   */
  Future<Optional<AccessRequest>> markNext(
      Mark mark,
      List<Due> due,
      Instant now,
      Function<AccessRequest, Future<?>> beforeCommit,
      Function<AccessRequest, List<RequestListener.Change>> effects) {
    if (due.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    String[] profiles = due.stream().map(Due::profile).toArray(String[]::new);
    String[] stages = due.stream().map(Due::stage).toArray(String[]::new);
    OffsetDateTime[] by =
        due.stream().map(d -> Timestamps.utc(d.by())).toArray(OffsetDateTime[]::new);
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(mark.select())
                .execute(Tuple.tuple().addValue(profiles).addValue(stages).addValue(by))
                .compose(rows -> RequestLoader.load(conn, rows))
                .compose(
                    found -> {
                      if (found.isEmpty()) {
                        return Future.succeededFuture(Optional.<AccessRequest>empty());
                      }
                      AccessRequest r = found.get(0);
                      return conn.preparedQuery(mark.update())
                          .execute(Tuple.of(r.id(), Timestamps.utc(now)))
                          .compose(x -> beforeCommit.apply(r))
                          .compose(x -> outbox.enqueue(conn, effects.apply(r)))
                          .map(x -> Optional.of(r));
                    }));
  }

  private static String prefixed(String columns) {
    return "r." + columns.replace(", ", ", r.");
  }
}
