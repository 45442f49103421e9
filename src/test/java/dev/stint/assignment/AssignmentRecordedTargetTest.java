package dev.stint.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.RequestListener.Change;
import dev.stint.mint.aws.PortalPolicy;
import dev.stint.standin.SsoAdminStandIn;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Requests;
import org.junit.jupiter.api.Test;

/**
 * Where a grant's assignment goes is what its approval recorded, whatever the policy says later:
 * the approval's delivery assigns the permission set approved, not the one named since; an end
 * deletes the recorded assignment even once the profile names a role or another permission set
 * (access never outlives its grant); a profile naming a role records nothing and is no work.
 */
class AssignmentRecordedTargetTest extends AssignmentBench {
  @Test
  void anApprovalOfAProfileNamingARoleIsNoWork() throws Exception {
    policyBecomes(rolePolicy());
    assertThat(commit(approved("grt_role", Requests.ALICE))).isFalse();
    assertThat(commit(revoked("grt_role", Requests.ALICE))).isFalse();
    assertThat(state("grt_role")).isEmpty();
  }

  @Test
  void aProfileSwitchedToARoleWhileItsGrantLivesStillUnassignsAtItsEnd() throws Exception {
    String alice = store.addUser("alice@example.com").userId();
    deliver(approved("grt_switched", Requests.ALICE));
    assertThat(sso.assignments()).containsExactly(assignmentOf(alice));

    policyBecomes(rolePolicy());
    deliver(revoked("grt_switched", Requests.ALICE));

    assertThat(sso.assignments()).as("access must not outlive its grant").isEmpty();
    assertThat(state("grt_switched")).containsExactly("deleted");
  }

  @Test
  void anEndUnassignsThePermissionSetRecordedAtApprovalNotTodays() throws Exception {
    String alice = store.addUser("alice@example.com").userId();
    String admin = sso.addPermissionSet("Admin", PortalPolicy.REFERENCE);
    deliver(approved("grt_moved", Requests.ALICE));

    policyBecomes(policy(admin));
    sso.assign(MEMBER, admin, alice);
    deliver(change("grant.expired", "grt_moved", Requests.ALICE, RequestState.EXPIRED));

    assertThat(sso.assignments())
        .as("the recorded assignment is gone; the other, not stint's, stays")
        .containsExactly(new SsoAdminStandIn.Assignment(MEMBER, admin, alice));
  }

  @Test
  void anApprovalAssignsThePermissionSetItWasApprovedForThoughThePolicyChangedSince()
      throws Exception {
    String alice = store.addUser("alice@example.com").userId();
    String admin = sso.addPermissionSet("Admin", PortalPolicy.REFERENCE);
    Change approval = approved("grt_late", Requests.ALICE);
    assertThat(commit(approval)).isTrue();

    policyBecomes(policy(admin));
    deliverCommitted(approval);

    assertThat(sso.assignments())
        .as("what was approved, not what the policy names at delivery")
        .containsExactly(assignmentOf(alice));
    assertThat(
            AuditTables.strings(
                url,
                "SELECT permission_set_arn FROM identity_center_assignments"
                    + " WHERE grant_id = 'grt_late'"))
        .containsExactly(permissionSet);
  }
}
