package dev.stint.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.RequestListener.Change;
import dev.stint.cloud.AccountAssignment;
import dev.stint.mint.Assigner.Step;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Requests;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A creation stint recorded as asked for but whose request id it never kept: the grant's end reads
 * AWS's creation requests. With none in progress and nothing listed, AWS never got the call, and
 * the end completes at once with nothing to delete; with one in progress, the end is retried until
 * AWS finishes it, then deletes what it made.
 */
class AssignmentCutShortTest extends AssignmentBench {
  /** The next start's first creation fails before it reaches AWS. */
  private void lostBeforeAwsOnce() throws Exception {
    AtomicBoolean lost = new AtomicBoolean();
    restartWith(
        real ->
            new ForwardingAssigner(real) {
              @Override
              public CompletableFuture<Step> create(AccountAssignment at, String userId) {
                return lost.compareAndSet(false, true)
                    ? CompletableFuture.failedFuture(
                        new IllegalStateException("cut short before AWS got it"))
                    : super.create(at, userId);
              }
            });
  }

  @Test
  void anEndAfterACreationThatNeverReachedAwsCompletesWithNothingToDelete() throws Exception {
    store.addUser("alice@example.com");
    lostBeforeAwsOnce();
    Change change = approved("grt_lost", Requests.ALICE);
    assertThat(commit(change)).isTrue();
    assertThatThrownBy(() -> deliverCommitted(change)).isNotNull();
    assertThat(
            AuditTables.strings(
                url,
                "SELECT state || ' ' || stint_created || ' ' || coalesce(request_token, '-')"
                    + " FROM identity_center_assignments WHERE grant_id = 'grt_lost'"))
        .as("recorded as asked for, with no request id")
        .containsExactly("creating true -");

    deliver(revoked("grt_lost", Requests.ALICE));
    deliverCommitted(change("request.approved", "grt_lost", Requests.ALICE, RequestState.REVOKED));

    assertThat(state("grt_lost")).containsExactly("deleted");
    assertThat(events("assignment.deleted")).containsExactly("grt_lost");
    assertThat(
            AuditTables.strings(
                url,
                "SELECT details->>'assignment_deleted' || ': ' || reason FROM audit_events"
                    + " WHERE type = 'assignment.deleted'"))
        .singleElement()
        .asString()
        .startsWith("false: ")
        .contains("AWS never made");
    assertThat(sso.assignments()).isEmpty();
    assertThat(sso.calls()).doesNotContain("CreateAccountAssignment", "DeleteAccountAssignment");
  }
}
