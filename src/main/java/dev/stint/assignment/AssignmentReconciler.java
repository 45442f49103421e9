package dev.stint.assignment;

import dev.stint.access.Act;
import dev.stint.access.Grant;
import dev.stint.access.RequestListener.Change;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.outbox.Committed;
import dev.stint.outbox.Outbox;
import dev.stint.outbox.OutboxWorker;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backstop for an assignment whose deletion was never queued: a grant whose end committed
 * (revoked, or expired by the sweeper once its end passed) while its assignment is still held
 * (creating, created or deleting) and no end of it waits in the outbox for {@link
 * AssignmentListener} (the end's row was never written, by a replica whose listeners did not
 * include it, or it died). Each is given the end's row now, as the end's own transaction would have
 * written it (through the outbox, for the listener alone: the grant's end stamped on its row, then
 * the row), audited ({@code assignment.deletion_restored}) before that transaction commits (a round
 * that fails after is done again, and audited again, by the next) and alarmed once it has; the
 * deletion then acts on the grant's recorded row, never today's policy. One replica at a time (a
 * transaction-scoped advisory lock; the others skip the round), so no two rounds queue one end
 * twice; a grant still live, or one whose end is in the outbox already (pending, being delivered or
 * retried), is never touched.
 */
final class AssignmentReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(AssignmentReconciler.class);

  /** How often each replica looks (one of them does the round). */
  static final Duration EVERY = Duration.ofMinutes(5);

  /** The most ends a round queues; the next round takes the rest. */
  static final int ROUND = 100;

  /** One replica at a time: the two-key advisory lock space, under a key of its own. */
  static final String TURN = "SELECT pg_try_advisory_xact_lock(1398030659, 57)";

  /**
   * Held assignments of grants whose end has committed, and no end row of the listener pending in
   * the outbox. An expired request is a grant past its end; one still approved past its end is the
   * sweeper's to expire, whose transaction queues the end.
   */
  static final String LOST =
      "SELECT a.grant_id, a.request_id, r.state, a.stint_created FROM identity_center_assignments a"
          + " JOIN access_requests r ON r.id = a.request_id"
          + " WHERE a.state IN ('creating', 'created', 'deleting')"
          + " AND r.state IN ('revoked', 'expired')"
          + " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.listener = $1"
          + " AND o.request_id = a.request_id AND o.state = 'pending'"
          + " AND o.event IN ('grant.revoked', 'grant.expired'))"
          + " ORDER BY a.grant_id LIMIT $2";

  private static final String WHY =
      "the grant had ended and its assignment was still held, with no deletion in the outbox";

  private final Pool pool;
  private final Outbox<Change> outbox;
  private final AssignmentListener listener;
  private final OutboxWorker.Changes<Change> changes;
  private final AuditLog audit;
  private final AssignmentAlarm alarm;
  private final Clock clock;

  AssignmentReconciler(
      Pool pool,
      Outbox<Change> outbox,
      AssignmentListener listener,
      OutboxWorker.Changes<Change> changes,
      AuditLog audit,
      AssignmentAlarm alarm,
      Clock clock) {
    this.pool = pool;
    this.outbox = outbox;
    this.listener = listener;
    this.changes = changes;
    this.audit = audit;
    this.alarm = alarm;
    this.clock = clock;
  }

  /** An end to queue; {@code made}: stint made (or asked AWS to make) its assignment. */
  private record Lost(String grantId, String requestId, String event, boolean made) {}

  /** One round; answers how many ends it queued (none on a replica whose turn it is not). */
  Future<Integer> round() {
    List<Lost> queued = new ArrayList<>();
    return pool.withTransaction(
            conn ->
                conn.query(TURN)
                    .execute()
                    .compose(
                        turn ->
                            turn.iterator().next().getBoolean(0)
                                ? conn.preparedQuery(LOST)
                                    .execute(Tuple.of(AssignmentListener.NAME, ROUND))
                                    .compose(rows -> queueAll(conn, lost(rows), queued))
                                : Future.<Void>succeededFuture()))
        .map(
            x -> {
              // An end whose grant never had an assignment of stint's (none asked for yet) is
              // queued and audited alike, but nobody need be woken: nothing was left in place.
              queued.forEach(
                  l -> {
                    LOG.warn(
                        "grant {} had ended with its assignment held and no deletion"
                            + " queued: queued now",
                        l.grantId());
                    if (l.made()) {
                      alarm.assignmentEndRestored(l.grantId(), l.requestId());
                    }
                  });
              return queued.size();
            });
  }

  private static List<Lost> lost(Iterable<Row> rows) {
    List<Lost> out = new ArrayList<>();
    for (Row r : rows) {
      String event = "revoked".equals(r.getString("state")) ? "grant.revoked" : "grant.expired";
      out.add(
          new Lost(
              r.getString("grant_id"),
              r.getString("request_id"),
              event,
              Boolean.TRUE.equals(r.getBoolean("stint_created"))));
    }
    return out;
  }

  private Future<Void> queueAll(SqlConnection conn, List<Lost> lost, List<Lost> queued) {
    Future<Void> chain = Future.succeededFuture();
    for (Lost l : lost) {
      chain =
          chain.compose(x -> queue(conn, l).map(done -> done ? queued.add(l) : false)).mapEmpty();
    }
    return chain;
  }

  /** The end's change, as the request is now, by stint; its row, and its event, on {@code conn}. */
  private Future<Boolean> queue(SqlConnection conn, Lost l) {
    Instant now = clock.instant();
    return changes
        .rebuild(
            new Committed.Recorded(l.event(), l.requestId(), Act.SYSTEM, Optional.of(WHY), now))
        .compose(
            change ->
                change.isEmpty() || !l.grantId().equals(grantOf(change.get()))
                    ? Future.succeededFuture(false)
                    : outbox
                        .enqueue(conn, listener, change.get())
                        .compose(
                            written ->
                                written
                                    ? audit.append(event(change.get(), l)).map(true)
                                    : Future.succeededFuture(false)));
  }

  private static String grantOf(Change change) {
    return change.request().grant().map(Grant::id).orElse("");
  }

  private static AuditEvent event(Change change, Lost l) {
    return AuditEvent.builder("assignment.deletion_restored")
        .actor(AuditEvent.Actor.SYSTEM)
        .requestId(l.requestId())
        .grantId(l.grantId())
        .profile(change.request().profile())
        .outcome("ok")
        .reason(WHY + ": its deletion is queued now")
        .detail("event", l.event())
        .build();
  }
}
