package dev.stint.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.stint.cloud.AccountAssignment;
import dev.stint.identity.Person;
import dev.stint.mint.Assigner;
import dev.stint.mint.Assigner.Role;
import dev.stint.revocation.PortalSessions;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Requests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Which revoked Identity Center grants have portal sessions for the revocation to deny: only one
 * whose assignment stint made and no other live grant of the same user still holds; an assignment
 * an administrator made outside stint is the person's to keep. A grant that has them asks for the
 * permission set's role in the account: the one provisioned there; while AWS still lists the
 * assignment, a role IAM does not list is asked for again (just provisioned), and once the
 * assignment is gone, none (Identity Center removed it, and its sessions with it).
 */
class PortalRolesTest extends AssignmentBench {
  private PortalRoles portals() {
    return new PortalRoles(
        new AssignmentStore(server.pool()),
        server.assigner(),
        unassigning.apply(server.pool(), server.audit()));
  }

  @Test
  void aGrantWhoseAssignmentStintMadeAsksForTheProvisionedRole() throws Exception {
    store.addUser("alice@example.com");
    deliver(approved("grt_own", Requests.ALICE));
    assertThat(AuditTables.failure(portals().ofGrant("grt_own", now)))
        .as("IAM lists no role of the permission set while AWS lists the assignment: asked again")
        .hasMessageContaining("does not list the permission set's role");

    provisioned(DENY_TARGET);
    assertThat(AuditTables.await(portals().ofGrant("grt_own", now)))
        .singleElement()
        .satisfies(
            held -> {
              assertThat(held.role()).isEqualTo(ROLE);
              assertThat(held.target()).isEqualTo(DENY_TARGET);
              assertThat(held.user()).isEqualTo("alice@example.com");
            });
  }

  @Test
  void anAssignmentAnAdministratorMadeHasNoneOfStints() throws Exception {
    String alice = store.addUser("alice@example.com").userId();
    sso.assign(MEMBER, permissionSet, alice);
    deliver(approved("grt_admins", Requests.ALICE));

    assertThat(AuditTables.await(portals().ofGrant("grt_admins", now))).isEmpty();
  }

  @Test
  void anotherLiveGrantOfTheUserKeepsTheSessions() throws Exception {
    store.addUser("alice@example.com");
    deliver(approved("grt_first", Requests.ALICE));
    deliver(approved("grt_second", Requests.ALICE));

    assertThat(AuditTables.await(portals().ofGrant("grt_first", now)))
        .as("the person keeps their access through the other grant")
        .isEmpty();
  }

  /**
   * A leaver's grants, or a review's, end in one transaction: each revocation must not count the
   * other as still holding the assignment, even when it is delivered before either grant's
   * assignment row has been told of the end.
   */
  @Test
  void twoGrantsOfThePersonRevokedInOneTransactionLeaveTheDeny() throws Exception {
    store.addUser("alice@example.com");
    deliver(approved("grt_first", Requests.ALICE));
    deliver(approved("grt_second", Requests.ALICE));

    AssignmentListener listener = server.listener();
    AuditTables.await(
        server
            .pool()
            .withTransaction(
                conn ->
                    listener
                        .record(conn, revoked("grt_first", Requests.ALICE))
                        .compose(
                            x -> listener.record(conn, revoked("grt_second", Requests.ALICE)))));

    // The revocations are delivered before either assignment's end.
    PortalRoles portals =
        new PortalRoles(
            new AssignmentStore(server.pool()),
            withRole(),
            unassigning.apply(server.pool(), server.audit()));
    List<PortalSessions.Held> held = new ArrayList<>();
    held.addAll(AuditTables.await(portals.ofGrant("grt_first", now)));
    held.addAll(AuditTables.await(portals.ofGrant("grt_second", now)));
    assertThat(held)
        .as("the person's earlier portal sessions are denied")
        .extracting(PortalSessions.Held::user)
        .contains("alice@example.com");

    // The ends, delivered after: the assignment is deleted once, by whichever grant is last.
    deliverCommitted(revoked("grt_first", Requests.ALICE));
    deliverCommitted(revoked("grt_second", Requests.ALICE));
    assertThat(state("grt_first")).containsExactly("deleted");
    assertThat(state("grt_second")).containsExactly("deleted");
    assertThat(sso.assignments()).isEmpty();
  }

  /**
   * The permission set's session duration is today's: an administrator may have shortened it since
   * the person's sessions were issued, which last as long as they were issued for. The deny stays
   * for the longest any session lasts, and stint does not even read the permission set's.
   */
  @Test
  void theDenyStaysForTheLongestSessionWhateverThePermissionSetSaysNow() throws Exception {
    store.addUser("alice@example.com");
    deliver(approved("grt_short", Requests.ALICE));

    PortalRoles portals =
        new PortalRoles(
            new AssignmentStore(server.pool()),
            withRole(),
            unassigning.apply(server.pool(), server.audit()));
    assertThat(AuditTables.await(portals.ofGrant("grt_short", now)))
        .extracting(PortalSessions.Held::until)
        .containsExactly(now.plus(Duration.ofHours(12)));
  }

  private Assigner withRole() {
    Role role =
        new Role(
            "arn:aws:iam::" + MEMBER + ":role/AWSReservedSSO_ReadOnly_0123",
            "arn:aws:iam::" + MEMBER + ":policy/stint/stint-portal-revocations");
    return new ForwardingAssigner(server.assigner()) {
      @Override
      public CompletableFuture<Role> role(AccountAssignment at) {
        return CompletableFuture.completedFuture(role);
      }
    };
  }

  /**
   * A grant's activity is looked up on its role as its revoke finds it: where its assignment was
   * made, however the configuration has moved the instance's endpoints since.
   */
  @Test
  void aGrantsRoleIsFoundWhereItsAssignmentWasMadeNotWhereTheConfigurationPointsNow()
      throws Exception {
    store.addUser("alice@example.com");
    deliver(approved("grt_where", Requests.ALICE));
    Assigner.Endpoints recorded = server.assigner().endpoints();
    Assigner.Endpoints moved =
        new Assigner.Endpoints("us-east-1", Optional.empty(), Optional.empty());
    Assigner today =
        new ForwardingAssigner(server.assigner()) {
          @Override
          public Endpoints endpoints() {
            return moved;
          }

          @Override
          public Assigner at(Endpoints endpoints) {
            return endpoints.equals(moved) ? this : answering(endpoints.region());
          }

          @Override
          public CompletableFuture<Role> role(AccountAssignment at) {
            return CompletableFuture.completedFuture(new Role("role-in-us-east-1", "policy"));
          }
        };

    PortalRoles portals =
        new PortalRoles(
            new AssignmentStore(server.pool()),
            today,
            unassigning.apply(server.pool(), server.audit()));

    assertThat(AuditTables.await(portals.roleArn("grt_where")))
        .isEqualTo("role-in-" + recorded.region());
    assertThat(AuditTables.failure(portals.roleArn("grt_none"))).isNotNull();
  }

  /** An assigner answering only the role, named for {@code region}. */
  private Assigner answering(String region) {
    return new ForwardingAssigner(server.assigner()) {
      @Override
      public CompletableFuture<Role> role(AccountAssignment at) {
        return CompletableFuture.completedFuture(new Role("role-in-" + region, "policy"));
      }
    };
  }

  @Test
  void aGrantThatWasNeverAnAssignmentHasNone() throws Exception {
    assertThat(AuditTables.await(portals().ofGrant("grt_none", now))).isEmpty();
  }

  @Test
  void theDenyNamesTheUserAsTheDirectoryWritesItNotAsLookedUp() throws Exception {
    store.addUser("Pat.Doe@Example.com");
    Person pat = new Person("https://idp.test", "pat", Optional.of("pat.doe@example.com"));
    deliver(approved("grt_pat", pat));
    assertThat(
            AuditTables.strings(
                url,
                "SELECT user_name FROM identity_center_assignments WHERE grant_id = 'grt_pat'"))
        .containsExactly("Pat.Doe@Example.com");

    String policy = "arn:aws:iam::" + MEMBER + ":policy/stint/stint-portal-revocations";
    Role role = new Role("arn:aws:iam::" + MEMBER + ":role/AWSReservedSSO_ReadOnly_0123", policy);
    Assigner withRole =
        new ForwardingAssigner(server.assigner()) {
          @Override
          public CompletableFuture<Role> role(AccountAssignment at) {
            return CompletableFuture.completedFuture(role);
          }
        };
    List<PortalSessions.Held> held =
        AuditTables.await(
            new PortalRoles(
                    new AssignmentStore(server.pool()),
                    withRole,
                    unassigning.apply(server.pool(), server.audit()))
                .ofGrant("grt_pat", now));
    assertThat(held).extracting(PortalSessions.Held::user).containsExactly("Pat.Doe@Example.com");
    assertThat(held)
        .as("written to the policy the permission set references, for its role's sessions")
        .extracting(PortalSessions.Held::target, PortalSessions.Held::role)
        .containsExactly(tuple(policy, role.arn()));
  }
}
