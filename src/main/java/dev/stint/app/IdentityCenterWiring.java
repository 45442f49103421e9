package dev.stint.app;

import dev.stint.activity.PortalRoleFinder;
import dev.stint.assignment.AssignmentStates;
import dev.stint.assignment.Assignments;
import dev.stint.config.AccessPortal;
import dev.stint.config.StintConfig;
import dev.stint.mint.aws.AwsClients;
import dev.stint.mint.aws.IdentityCenterAssigner;
import dev.stint.policy.PolicyInForce;
import dev.stint.revocation.PortalSessions;
import dev.stint.revocation.UnassignedSessions;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.concurrent.ExecutorService;

/**
 * IAM Identity Center grants: each grant of an {@code identity_center} profile is made and ended as
 * its account assignment ({@link Assignments}), with stint's own AWS identity on the cloud pool, in
 * the instance's home region: the access portal's when configured, else {@code aws.region}.
 */
final class IdentityCenterWiring implements AutoCloseable {
  private final IdentityCenterAssigner assigner;
  private final Assignments assignments;

  /** Where the package's work and reports go, and where its sessions' denies are written. */
  record Needs(
      PolicyInForce policies, Assignments.Effects effects, UnassignedSessions unassigned) {}

  IdentityCenterWiring(
      Vertx vertx,
      Pool pool,
      StintConfig config,
      ExecutorService cloudCalls,
      AwsClients aws,
      Needs needs,
      Clock clock) {
    this.assigner =
        new IdentityCenterAssigner(
            config
                .clouds()
                .awsAccessPortal()
                .map(AccessPortal::region)
                .or(() -> config.clouds().awsRegion()),
            config.clouds().awsSsoAdmin(),
            config.clouds().awsIdentityStore(),
            cloudCalls,
            aws);
    this.assignments =
        new Assignments(
            vertx,
            pool,
            new Assignments.Cloud(assigner, needs.unassigned()),
            needs.policies(),
            needs.effects(),
            clock);
  }

  Assignments assignments() {
    return assignments;
  }

  /** Where a revoked grant's access portal sessions are, for the revocation. */
  PortalSessions portalSessions() {
    return assignments.portalSessions();
  }

  /**
   * Where an Identity Center grant's provisioned role is, for its activity: the role its portal
   * sessions are on, found as a revoke finds it, where the grant's assignment was made.
   */
  PortalRoleFinder portalRoles() {
    return assignments::roleArn;
  }

  /** Where each grant's account assignment stands. */
  AssignmentStates states() {
    return assignments.states();
  }

  @Override
  public void close() {
    assignments.close();
    assigner.close();
  }
}
