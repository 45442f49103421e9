package dev.stint.assignment;

import dev.stint.access.RequestListener.Change;
import dev.stint.audit.AuditLog;
import dev.stint.cloud.AccountAssignment;
import dev.stint.cloud.AwsTarget;
import dev.stint.cloud.Cloud;
import dev.stint.mint.Assigner;
import dev.stint.mint.CloudMinter;
import dev.stint.mint.Credential;
import dev.stint.mint.Lifetimes;
import dev.stint.mint.MintOrder;
import dev.stint.mint.Minters;
import dev.stint.mint.SessionRevoker;
import dev.stint.mint.aws.AwsRevocations;
import dev.stint.mint.aws.AwsSessionRevoker;
import dev.stint.mint.aws.PortalPolicy;
import dev.stint.outbox.DurableListener.Delivery;
import dev.stint.revocation.DeletionDenies;
import dev.stint.revocation.Reporting;
import dev.stint.revocation.RevocationListener;
import dev.stint.revocation.UnassignedSessions;
import dev.stint.standin.SigningKeys;
import dev.stint.testing.AuditTables;
import dev.stint.testing.DenyEvaluator.Session;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;

/**
 * The assignment bench with the revocation's real deny writer behind it: the permission set's
 * provisioned role and the account's portal revocation policy (referenced by two permission sets,
 * so Identity Center attached it to both roles) in the strict IAM stand-in, written through the AWS
 * revoker, by a deletion ({@link UnassignedSessions}) and by a revoke ({@link #revocation}), and
 * portal sessions judged by the policy as IAM judges them ({@link #denied}).
 */
abstract class PortalDenyBench extends AssignmentBench {
  static final String ADMIN_NAME = "AWSReservedSSO_Admin_89abcdef01234567";
  static final String PORTAL_POLICY =
      "arn:aws:iam::" + SigningKeys.HOME_ACCOUNT + ":policy/stint/stint-portal-revocations";
  static final String ROLE_ID = "AROAPORTALROLE000001";

  /** The revocation alarms raised, one line each. */
  final List<String> revocationAlarms = new CopyOnWriteArrayList<>();

  private final Vertx cloudVertx = Vertx.vertx();
  private Minters minters;

  PortalDenyBench() {
    iam.managed()
        .create(
            SigningKeys.HOME_ACCOUNT, PortalPolicy.PATH, PortalPolicy.NAME, PortalPolicy.INITIAL);
    iam.provisioned(SigningKeys.HOME_ACCOUNT, ROLE_NAME, List.of(PORTAL_POLICY))
        .provisioned(SigningKeys.HOME_ACCOUNT, ADMIN_NAME, List.of(PORTAL_POLICY));
    Assigner.Role role = new Assigner.Role(role(ROLE_NAME), PortalPolicy.arnFor(role(ROLE_NAME)));
    wrapping =
        real ->
            new ForwardingAssigner(real) {
              @Override
              public CompletableFuture<Assigner.Role> role(AccountAssignment at) {
                return CompletableFuture.completedFuture(role);
              }
            };
    unassigning =
        (pool, audit) -> new DeletionDenies(pool, minters(), reporting(audit), Clock.systemUTC());
  }

  @AfterEach
  void closeClouds() throws Exception {
    AuditTables.await(cloudVertx.close());
  }

  static String role(String name) {
    return "arn:aws:iam::"
        + SigningKeys.HOME_ACCOUNT
        + ":role/aws-reserved/sso.amazonaws.com/"
        + name;
  }

  /**
   * Whether {@code user}'s portal session of {@code roleName}, issued at {@code at}, is refused.
   */
  boolean denied(String roleName, String user, Instant at) {
    return iam.denies(roleName, Session.portal(role(roleName), ROLE_ID, user, at), Instant.now());
  }

  /** The revocation of {@code revoke}'s grant, delivered as the outbox does. */
  void revocation(Change revoke) throws Exception {
    AuditTables.await(
        new RevocationListener(
                server.pool(),
                minters(),
                reporting(server.audit()),
                Clock.systemUTC(),
                server.portals())
            .deliver(revoke, new Delivery(9, 1)));
  }

  /** When the deletion's event says the user's sessions issued before it are denied. */
  List<String> deniedBefore() throws Exception {
    return AuditTables.strings(
        url,
        "SELECT grant_id || ' ' || coalesce(details->>'portal_sessions_denied_before', '-')"
            + " FROM audit_events WHERE type = 'assignment.deleted' ORDER BY seq");
  }

  private synchronized Minters minters() {
    if (minters == null) {
      Clock clock = Clock.systemUTC();
      SessionRevoker revoker =
          new AwsSessionRevoker(
              cloudVertx, new AwsRevocations(clients(), executor, clock, 0), clock);
      minters = new Minters(List.of(aws(revoker)));
    }
    return minters;
  }

  private Reporting reporting(AuditLog audit) {
    return new Reporting(
        audit,
        d -> {},
        new Reporting.Alarm() {
          @Override
          public void revocationFailed(String grantId, String requestId, String why) {
            revocationAlarms.add("failed " + grantId);
          }

          @Override
          public void revocationWidened(String grantId, String target, long others) {
            revocationAlarms.add("widened " + grantId);
          }
        },
        (grants, target) -> Future.succeededFuture());
  }

  /** The AWS cloud as a revocation sees it: a revoker, nothing minted. */
  private static CloudMinter<AwsTarget, Credential> aws(SessionRevoker revoker) {
    return new CloudMinter<AwsTarget, Credential>() {
      @Override
      public Cloud<AwsTarget> cloud() {
        return Cloud.AWS;
      }

      @Override
      public Lifetimes.CloudLimits limits() {
        throw new UnsupportedOperationException("nothing is minted here");
      }

      @Override
      public CompletableFuture<Credential> mint(AwsTarget target, MintOrder order) {
        throw new UnsupportedOperationException("nothing is minted here");
      }

      @Override
      public Optional<SessionRevoker> revoker() {
        return Optional.of(revoker);
      }
    };
  }
}
