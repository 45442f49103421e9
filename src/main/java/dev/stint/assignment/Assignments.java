package dev.stint.assignment;

import dev.stint.access.RequestListener.Change;
import dev.stint.audit.AuditLog;
import dev.stint.mint.Assigner;
import dev.stint.outbox.Outbox;
import dev.stint.outbox.OutboxWorker;
import dev.stint.policy.PolicyInForce;
import dev.stint.revocation.PortalSessions;
import dev.stint.revocation.UnassignedSessions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles the package for {@code app}: the outbox listener that makes and deletes grants'
 * assignments ({@link #listener}), the backstop round for ends whose deletion was never queued
 * ({@link #reconcile}), and the read of each grant's state ({@link #states}).
 */
public final class Assignments implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Assignments.class);

  /**
   * Where the package's work and its reports go: the audit, the outbox (a failed assignment is told
   * through it, {@link AssignmentFailures}; a lost end is queued on it, {@link
   * AssignmentReconciler}), the changes it rebuilds, and the alarm raised once when AWS keeps
   * refusing an assignment ({@link AssignmentRefusals}) or a lost end is found.
   */
  public record Effects(
      AuditLog audit,
      Outbox<Change> outbox,
      OutboxWorker.Changes<Change> changes,
      AssignmentAlarm alarm) {}

  /**
   * Where the assignments are made ({@code assigner}) and where the portal sessions of one deleted
   * are denied ({@code unassigned}).
   */
  public record Cloud(Assigner assigner, UnassignedSessions unassigned) {}

  private final AssignmentStore store;
  private final AssignmentListener listener;
  private final AssignmentReconciler reconciler;
  private final PortalRoles portalRoles;
  private Optional<Runnable> stop = Optional.empty();

  /**
   * With the default backoff ({@link Polls#DELAYS}), and the backstop's rounds every {@link
   * AssignmentReconciler#EVERY} on this replica (one replica at a time does each) until {@link
   * #close}.
   */
  public Assignments(
      Vertx vertx, Pool pool, Cloud cloud, PolicyInForce policies, Effects effects, Clock clock) {
    this(pool, cloud, policies, effects, clock, new Polls(vertx, Polls.DELAYS));
    long timer =
        vertx.setPeriodic(
            AssignmentReconciler.EVERY.toMillis(),
            t -> reconcile().onFailure(e -> LOG.warn("assignment ends: {}", e.getMessage())));
    this.stop = Optional.of(() -> vertx.cancelTimer(timer));
  }

  /** With {@code polls} looking at AWS's progress. */
  Assignments(
      Pool pool, Cloud cloud, PolicyInForce policies, Effects effects, Clock clock, Polls polls) {
    Assigner assigner = cloud.assigner();
    UnassignedSessions unassigned = cloud.unassigned();
    this.store = new AssignmentStore(pool);
    AuditLog audit = effects.audit();
    PortalRoles portals = new PortalRoles(store, assigner, unassigned);
    this.listener =
        new AssignmentListener(
            policies,
            assigner.endpoints(),
            store,
            new AssignmentWork(
                store,
                assigner,
                polls,
                new AssignmentEvents(audit),
                new AssignmentFailures(pool, store, effects.outbox(), clock),
                portals,
                clock),
            new AssignmentRefusals(pool, audit, effects.alarm()));
    this.reconciler =
        new AssignmentReconciler(
            pool, effects.outbox(), listener, effects.changes(), audit, effects.alarm(), clock);
    this.portalRoles = portals;
  }

  public AssignmentListener listener() {
    return listener;
  }

  /**
   * One round of the backstop ({@link AssignmentReconciler}): on one replica at a time, each grant
   * ended with its assignment held and no deletion in the outbox gets one; answers how many.
   */
  public Future<Integer> reconcile() {
    return reconciler.round();
  }

  /**
   * For the revocation: where a revoked grant's user's access portal sessions are, the permission
   * set's provisioned role, found through {@code assigner}.
   */
  public PortalSessions portalSessions() {
    return portalRoles;
  }

  /**
   * The provisioned role of grant {@code grantId}'s permission set in its account, found where its
   * assignment was made (the recorded region and endpoints); fails for a grant with no assignment.
   */
  public Future<String> roleArn(String grantId) {
    return portalRoles.roleArn(grantId);
  }

  public AssignmentStates states() {
    return grantId -> store.find(grantId).map(row -> row.map(AssignmentRow::state));
  }

  /** Stops the backstop's rounds. */
  @Override
  public void close() {
    stop.ifPresent(Runnable::run);
  }

  /** For a state read of none (no server has the SDK set up): always empty. */
  public static final AssignmentStates NONE = grantId -> Future.succeededFuture(Optional.empty());
}
