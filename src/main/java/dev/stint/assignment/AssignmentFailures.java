package dev.stint.assignment;

import dev.stint.access.Act;
import dev.stint.access.RequestListener.Change;
import dev.stint.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A grant's assignment that failed, told to its requester and approvers through the outbox ({@code
 * notify}'s listeners want {@link #FAILED}, the comment saying why): the telling is written in the
 * transaction that records the failure on the row ({@link AssignmentStore#FAILING}), so a restart
 * neither loses it nor, once it is written, tells it twice (a failure recorded already is not told
 * again).
 */
final class AssignmentFailures {
  /** The change the outbox is told, as its listeners name it. */
  static final String FAILED = "assignment.failed";

  private final Pool pool;
  private final AssignmentStore store;
  private final Outbox<Change> outbox;
  private final Clock clock;

  AssignmentFailures(Pool pool, AssignmentStore store, Outbox<Change> outbox, Clock clock) {
    this.pool = pool;
    this.store = store;
    this.outbox = outbox;
    this.clock = clock;
  }

  /** Records that {@code row}'s assignment failed for {@code why}, and tells whom it concerns. */
  Future<Void> failing(Change change, AssignmentRow row, String why) {
    Instant now = clock.instant();
    Change told = new Change(FAILED, change.request(), Act.SYSTEM, Optional.of(why), now);
    return pool.withTransaction(
        conn ->
            store
                .failing(conn, row, why, now)
                .compose(
                    first ->
                        first
                            ? outbox.enqueue(conn, List.of(told))
                            : Future.<Void>succeededFuture()));
  }
}
