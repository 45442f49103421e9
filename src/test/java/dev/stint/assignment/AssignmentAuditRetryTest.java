package dev.stint.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.access.RequestListener.Change;
import dev.stint.testing.Requests;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each state an assignment reaches is recorded with its audit event or not at all: when the audit
 * log refuses the event, the delivery fails, and the outbox's retry records both, once.
 */
class AssignmentAuditRetryTest extends AssignmentBench {
  private void auditRefusesOnce(String type) throws Exception {
    server.stop();
    auditing = audit -> new AuditFailingOnce(audit, Set.of(type));
    server = start();
  }

  @Test
  void aFailureWhoseEventWasRefusedIsRecordedOnRetryOnce() throws Exception {
    auditRefusesOnce("assignment.failed");
    Change change = approved("grt_fail_audit", Requests.ALICE);
    assertThat(commit(change)).isTrue();

    assertThatThrownBy(() -> deliverCommitted(change)).isNotNull();
    assertThat(events("assignment.failed")).isEmpty();

    deliverCommitted(change);
    deliverCommitted(change);
    assertThat(state("grt_fail_audit")).containsExactly("failed");
    assertThat(events("assignment.failed")).containsExactly("grt_fail_audit");
    assertThat(told())
        .as("told once, though recorded on the retry")
        .containsExactly(
            "req_grt_fail_audit: no IAM Identity Center user named alice@example.com in"
                + " d-0123456789");
    assertThat(sso.assignments()).isEmpty();
  }

  @Test
  void aCreationWhoseEventWasRefusedIsRecordedOnRetryOnce() throws Exception {
    store.addUser("alice@example.com");
    auditRefusesOnce("assignment.created");
    Change change = approved("grt_made_audit", Requests.ALICE);
    assertThat(commit(change)).isTrue();

    assertThatThrownBy(() -> deliverCommitted(change)).isNotNull();
    assertThat(events("assignment.created")).isEmpty();

    deliverCommitted(change);
    deliverCommitted(change);
    assertThat(state("grt_made_audit")).containsExactly("created");
    assertThat(events("assignment.created")).containsExactly("grt_made_audit");
    assertThat(sso.calls().stream().filter("CreateAccountAssignment"::equals)).hasSize(1);
  }

  @Test
  void aDeletionWhoseEventWasRefusedIsRecordedOnRetryOnce() throws Exception {
    store.addUser("alice@example.com");
    auditRefusesOnce("assignment.deleted");
    deliver(approved("grt_gone_audit", Requests.ALICE));
    Change revoke = revoked("grt_gone_audit", Requests.ALICE);
    assertThat(commit(revoke)).isTrue();

    assertThatThrownBy(() -> deliverCommitted(revoke)).isNotNull();
    assertThat(events("assignment.deleted")).isEmpty();

    deliverCommitted(revoke);
    deliverCommitted(revoke);
    assertThat(state("grt_gone_audit")).containsExactly("deleted");
    assertThat(events("assignment.deleted")).containsExactly("grt_gone_audit");
    assertThat(sso.assignments()).isEmpty();
  }

  @Test
  void aKeptAssignmentWhoseEventWasRefusedIsRecordedOnRetryOnce() throws Exception {
    String alice = store.addUser("alice@example.com").userId();
    sso.assign(MEMBER, permissionSet, alice);
    auditRefusesOnce("assignment.deleted");
    deliver(approved("grt_kept_audit", Requests.ALICE));
    Change revoke = revoked("grt_kept_audit", Requests.ALICE);
    assertThat(commit(revoke)).isTrue();

    assertThatThrownBy(() -> deliverCommitted(revoke)).isNotNull();
    deliverCommitted(revoke);
    deliverCommitted(revoke);
    assertThat(state("grt_kept_audit")).containsExactly("deleted");
    assertThat(events("assignment.deleted")).containsExactly("grt_kept_audit");
    assertThat(sso.assignments()).containsExactly(assignmentOf(alice));
  }
}
