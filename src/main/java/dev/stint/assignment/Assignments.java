package dev.stint.assignment;

import dev.stint.access.RequestListener.Change;
import dev.stint.audit.AuditLog;
import dev.stint.mint.Assigner;
import dev.stint.outbox.Outbox;
import dev.stint.policy.PolicyInForce;
import dev.stint.revocation.PortalSessions;
import dev.stint.revocation.UnassignedSessions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.Optional;

/**
 * Assembles the package for {@code app}: the outbox listener that makes and deletes grants'
 * assignments ({@link #listener}) and the read of each grant's state ({@link #states}).
 */
public final class Assignments {
  private final AssignmentStore store;
  private final AssignmentListener listener;
  private final PortalSessions portalSessions;

  /**
   * Where the assignments are made ({@code assigner}) and where the portal sessions of one deleted
   * are denied ({@code unassigned}).
   */
  public record Cloud(Assigner assigner, UnassignedSessions unassigned) {}

  /**
   * With the default backoff ({@link Polls#DELAYS}); a failed assignment is told through {@code
   * outbox} ({@link AssignmentFailures}).
   */
  public Assignments(
      Vertx vertx,
      Pool pool,
      Cloud cloud,
      PolicyInForce policies,
      AuditLog audit,
      Outbox<Change> outbox,
      Clock clock) {
    this(pool, cloud, policies, audit, outbox, clock, new Polls(vertx, Polls.DELAYS));
  }

  /** With {@code polls} looking at AWS's progress. */
  Assignments(
      Pool pool,
      Cloud cloud,
      PolicyInForce policies,
      AuditLog audit,
      Outbox<Change> outbox,
      Clock clock,
      Polls polls) {
    Assigner assigner = cloud.assigner();
    UnassignedSessions unassigned = cloud.unassigned();
    this.store = new AssignmentStore(pool);
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
                new AssignmentFailures(pool, store, outbox, clock),
                portals,
                clock));
    this.portalSessions = portals;
  }

  public AssignmentListener listener() {
    return listener;
  }

  /**
   * For the revocation: where a revoked grant's user's access portal sessions are, the permission
   * set's provisioned role, found through {@code assigner}.
   */
  public PortalSessions portalSessions() {
    return portalSessions;
  }

  public AssignmentStates states() {
    return grantId -> store.find(grantId).map(row -> row.map(AssignmentRow::state));
  }

  /** For a state read of none (no server has the SDK set up): always empty. */
  public static final AssignmentStates NONE = grantId -> Future.succeededFuture(Optional.empty());
}
