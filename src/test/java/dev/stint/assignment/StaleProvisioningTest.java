package dev.stint.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.RequestListener.Change;
import dev.stint.mint.MintException;
import dev.stint.mint.aws.PortalPolicy;
import dev.stint.outbox.DurableListener.Delivery;
import dev.stint.standin.IamRules;
import dev.stint.testing.AuditTables;
import dev.stint.testing.FakeIam;
import dev.stint.testing.Requests;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A permission set that references stint's portal revocation policy is still not assigned when its
 * role in the account was provisioned before the reference was added and not provisioned again:
 * Identity Center attached the policy to none of that role's sessions, and an assignment does not
 * provision an already provisioned permission set, so every revoke's deny would be written and bind
 * nobody (review M-B). It fails as an unreferenced permission set does: nothing assigned, audited,
 * told, the reason saying to provision the permission set to the account again. A role with the
 * policy attached, or none yet (the assignment provisions it), is assigned; IAM not answering
 * leaves the delivery to the outbox, and IAM refusing stint's rights is a refusal, alarmed.
 */
class StaleProvisioningTest extends AssignmentBench {
  static final String POLICY = PortalPolicy.arnFor(ROLE);

  StaleProvisioningTest() {
    iam.managed().create(MEMBER, PortalPolicy.PATH, PortalPolicy.NAME, PortalPolicy.INITIAL);
  }

  @Test
  void aRoleProvisionedWithoutThePolicyIsNotAssignedAndTheReasonSaysToProvisionAgain()
      throws Exception {
    provisioned();
    store.addUser("alice@example.com");

    deliver(approved("grt_stale", Requests.ALICE));

    assertThat(state("grt_stale")).containsExactly("failed");
    assertThat(sso.assignments()).isEmpty();
    assertThat(sso.calls()).doesNotContain("CreateAccountAssignment");
    assertThat(events("assignment.failed")).containsExactly("grt_stale");
    String reason =
        AuditTables.strings(url, "SELECT reason FROM audit_events WHERE type = 'assignment.failed'")
            .get(0);
    assertThat(reason)
        .contains(ROLE_NAME, MEMBER, PortalPolicy.REFERENCE)
        .contains("re-provision the permission set to the account (ProvisionPermissionSet");
    assertThat(told()).singleElement().asString().contains("re-provision the permission set");
    assertThat(alarms).as("a failed assignment, not a refusal").isEmpty();
  }

  @Test
  void aRoleWithThePolicyAttachedIsAssigned() throws Exception {
    provisioned(POLICY);
    String alice = store.addUser("alice@example.com").userId();

    deliver(approved("grt_attached", Requests.ALICE));

    assertThat(state("grt_attached")).containsExactly("created");
    assertThat(sso.assignments()).containsExactly(assignmentOf(alice));
    assertThat(iamCalls()).contains(IamRules.LIST_ROLES, IamRules.LIST_ATTACHED);
  }

  @Test
  void withNoRoleInTheAccountYetTheAssignmentProvisionsItAndIsMade() throws Exception {
    String alice = store.addUser("alice@example.com").userId();

    deliver(approved("grt_first", Requests.ALICE));

    assertThat(state("grt_first")).containsExactly("created");
    assertThat(sso.assignments()).containsExactly(assignmentOf(alice));
    assertThat(iamCalls()).contains(IamRules.LIST_ROLES).doesNotContain(IamRules.LIST_ATTACHED);
  }

  /** Every attempt the SDK and the polls make at one delivery, each answered with an outage. */
  static final int ATTEMPTS = 2 * 4;

  @Test
  void iamUnavailableLeavesTheDeliveryForTheOutboxToRetry() throws Exception {
    provisioned(POLICY);
    String alice = store.addUser("alice@example.com").userId();
    iam.failNext(
        Collections.nCopies(ATTEMPTS, FakeIam.Failure.SERVER_ERROR)
            .toArray(FakeIam.Failure[]::new));
    Change change = approved("grt_outage", Requests.ALICE);
    assertThat(commit(change)).isTrue();

    Throwable failed = AuditTables.failure(server.listener().deliver(change, new Delivery(1, 1)));

    assertThat(failed).isInstanceOf(MintException.class);
    assertThat(((MintException) failed).retryable()).isTrue();
    assertThat(state("grt_outage")).containsExactly("creating");
    assertThat(sso.assignments()).isEmpty();
    assertThat(events("assignment.failed")).isEmpty();
    assertThat(alarms).isEmpty();

    deliverCommitted(change);
    assertThat(state("grt_outage")).containsExactly("created");
    assertThat(sso.assignments()).containsExactly(assignmentOf(alice));
  }

  @Test
  void iamRefusingStintsRightsIsARefusalAlarmedNotAnAssignment() throws Exception {
    provisioned(POLICY);
    store.addUser("alice@example.com");
    iam.failNext(FakeIam.Failure.ACCESS_DENIED);
    Change change = approved("grt_refused", Requests.ALICE);
    assertThat(commit(change)).isTrue();

    Throwable failed = AuditTables.failure(server.listener().deliver(change, new Delivery(1, 1)));

    assertThat(failed).isInstanceOf(MintException.class).hasMessageContaining("iam:ListRoles");
    assertThat(((MintException) failed).retryable()).isFalse();
    assertThat(sso.assignments()).isEmpty();
    assertThat(events("assignment.failed")).isEmpty();
    assertThat(alarms).containsExactly("refused grt_refused creation");
  }

  private List<String> iamCalls() {
    return iam.calls().stream().map(c -> c.param("Action")).toList();
  }
}
