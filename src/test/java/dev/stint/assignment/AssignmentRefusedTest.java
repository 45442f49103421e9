package dev.stint.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.cloud.AccountAssignment;
import dev.stint.identity.Person;
import dev.stint.mint.Assigner.Step;
import dev.stint.mint.MintException;
import dev.stint.outbox.DurableListener.Delivery;
import dev.stint.testing.AuditTables;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * AWS refusing an assignment's deletion or creation in a way retrying will not fix (stint's rights
 * narrowed) raises the alarm once, the first time, with the refusal on the row and in the audit;
 * each retry after is quiet, and the deletion still happens once AWS allows it. A throttle is
 * retried quietly, alarmed only once the outbox's patience has run out (review M1).
 */
class AssignmentRefusedTest extends AssignmentBench {
  static final Person ALICE =
      new Person("https://idp.test", "alice", Optional.of("alice@example.com"));

  String refused(String grantId) throws Exception {
    return AuditTables.strings(
            url,
            "SELECT coalesce(refused_stage, '') || ': ' || coalesce(refusal, '')"
                + " FROM identity_center_assignments WHERE grant_id = '"
                + grantId
                + "'")
        .get(0);
  }

  @Test
  void aRefusedDeletionIsAlarmedOnceAndStillDeletedOnceAllowed() throws Exception {
    store.addUser("alice@example.com");
    deliver(approved("grt_a", ALICE));
    assertThat(commit(revoked("grt_a", ALICE))).isTrue();

    sso.failNext("AccessDeniedException");
    AuditTables.failure(server.listener().deliver(revoked("grt_a", ALICE), new Delivery(1, 1)));
    sso.failNext("AccessDeniedException");
    AuditTables.failure(server.listener().deliver(revoked("grt_a", ALICE), new Delivery(1, 2)));

    assertThat(alarms).containsExactly("refused grt_a deletion");
    assertThat(events("assignment.refused")).containsExactly("grt_a");
    assertThat(refused("grt_a")).startsWith("deletion: ").contains("AccessDeniedException");
    assertThat(state("grt_a")).as("the contract's states stay").containsExactly("deleting");
    assertThat(sso.assignments()).hasSize(1);

    deliverCommitted(revoked("grt_a", ALICE));
    assertThat(sso.assignments()).isEmpty();
    assertThat(state("grt_a")).containsExactly("deleted");
    assertThat(alarms).hasSize(1);
  }

  @Test
  void aRefusedCreationIsAlarmedOnce() throws Exception {
    store.addUser("alice@example.com");
    sso.failNext("AccessDeniedException");
    assertThat(commit(approved("grt_c", ALICE))).isTrue();

    AuditTables.failure(server.listener().deliver(approved("grt_c", ALICE), new Delivery(1, 1)));

    assertThat(alarms).containsExactly("refused grt_c creation");
    assertThat(refused("grt_c")).startsWith("creation: ");
    assertThat(state("grt_c")).containsExactly("creating");
  }

  @Test
  void aThrottleIsQuietUntilTheOutboxsPatienceRunsOutThenAlarmedOnce() throws Exception {
    store.addUser("alice@example.com");
    deliver(approved("grt_t", ALICE));
    assertThat(commit(revoked("grt_t", ALICE))).isTrue();
    // Every try of the deletion throttled, as the assigner reports a throttle: retryable.
    AtomicBoolean throttling = new AtomicBoolean(true);
    restartWith(
        real ->
            new ForwardingAssigner(real) {
              @Override
              public CompletableFuture<Step> delete(AccountAssignment at, String userId) {
                return throttling.get()
                    ? CompletableFuture.failedFuture(
                        MintException.unavailable(
                            "AWS IAM Identity Center", "an account assignment", null))
                    : super.delete(at, userId);
              }
            });
    AssignmentListener listener = server.listener();

    Throwable throttled =
        AuditTables.failure(listener.deliver(revoked("grt_t", ALICE), new Delivery(1, 1)));
    assertThat(throttled).hasMessageContaining("unavailable");
    AuditTables.await(listener.failed(revoked("grt_t", ALICE), new Delivery(1, 1), "slow", false));
    assertThat(alarms).as("retried quietly").isEmpty();
    assertThat(refused("grt_t")).as("nothing recorded as refused").isEqualTo(": ");

    AuditTables.await(listener.failed(revoked("grt_t", ALICE), new Delivery(1, 9), "slow", true));
    AuditTables.await(listener.failed(revoked("grt_t", ALICE), new Delivery(1, 10), "slow", true));
    assertThat(alarms).containsExactly("refused grt_t deletion");
    assertThat(refused("grt_t")).contains("still failing after outbox.give_up_after: slow");

    throttling.set(false);
    deliverCommitted(revoked("grt_t", ALICE));
    assertThat(sso.assignments()).as("the throttle passed: deleted").isEmpty();
    assertThat(alarms).hasSize(1);
  }
}
