package dev.stint.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.access.RequestListener.Change;
import dev.stint.cloud.AccountAssignment;
import dev.stint.identity.Person;
import dev.stint.mint.Assigner.Step;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Requests;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Two grants that would hold one Identity Center user's assignment: two stint people whose verified
 * emails name the same directory user never share it (the second fails, and the first's revoke
 * removes it and ends its sessions), and a grant that starts while stint's deletion of the same
 * assignment is still under way in AWS waits for it and is then assigned anew, rather than counting
 * on an assignment about to disappear.
 */
class AssignmentRacesTest extends AssignmentBench {
  static final Person ALEX =
      new Person("https://idp.test", "alex", Optional.of("alex@example.com"));

  /** Another person (another issuer): their verified email names the same user, in other case. */
  static final Person ALEX_ELSEWHERE =
      new Person("https://other-idp.test", "alex", Optional.of("ALEX@example.com"));

  private PortalRoles portals() {
    return new PortalRoles(
        new AssignmentStore(server.pool()),
        server.assigner(),
        unassigning.apply(server.pool(), server.audit()));
  }

  /**
   * A delivery that lost its turn (its transaction cut off while another settled the row) must not
   * bring a settled assignment back: a save over a deleted or failed row changes nothing and fails,
   * for the outbox's retry to find it settled.
   */
  @Test
  void aSettledAssignmentIsNeverSavedBackToLife() throws Exception {
    store.addUser("alex@example.com");
    deliver(approved("grt_settled", ALEX));
    deliver(revoked("grt_settled", ALEX));
    assertThat(state("grt_settled")).containsExactly("deleted");
    AssignmentStore rows = new AssignmentStore(server.pool());
    AssignmentRow settled = AuditTables.await(rows.find("grt_settled")).orElseThrow();

    Throwable refused =
        AuditTables.failure(
            rows.save(settled.next(AssignmentState.CREATING, true, null), Instant.now()));

    assertThat(refused).hasMessageContaining("settled meanwhile");
    assertThat(state("grt_settled")).containsExactly("deleted");
  }

  @Test
  void twoPeopleWhoseEmailsNameOneUserTakeTurnsOnIt() {
    assertThat(server.listener().turn(approved("grt_x", ALEX)))
        .isEqualTo(server.listener().turn(approved("grt_y", ALEX_ELSEWHERE)));
  }

  @Test
  void aUserAnotherPersonsGrantHoldsIsRefusedAndTheHoldersRevokeStillRemovesIt() throws Exception {
    String alex = store.addUser("alex@example.com").userId();
    deliver(approved("grt_a", ALEX));
    assertThat(state("grt_a")).containsExactly("created");

    deliver(approved("grt_b", ALEX_ELSEWHERE));

    assertThat(state("grt_b")).containsExactly("failed");
    assertThat(events("assignment.failed")).containsExactly("grt_b");
    assertThat(
            AuditTables.strings(
                url, "SELECT reason FROM audit_events WHERE type = 'assignment.failed'"))
        .singleElement()
        .asString()
        .contains("held by another person's grant (grt_a)");
    assertThat(told())
        .as("the requester and approvers are told why, but not the other person's grant")
        .singleElement()
        .asString()
        .contains("held by another person's grant")
        .doesNotContain("grt_a");
    provisioned(DENY_TARGET);
    assertThat(AuditTables.await(portals().ofGrant("grt_a", now)))
        .as("the holder's revoke still denies their portal sessions of the role")
        .singleElement()
        .satisfies(held -> assertThat(held.role()).isEqualTo(ROLE));

    deliver(revoked("grt_a", ALEX));
    assertThat(sso.assignments()).as("the other person's grant keeps nothing alive").isEmpty();
    assertThat(state("grt_a")).containsExactly("deleted");
    assertThat(commit(revoked("grt_b", ALEX_ELSEWHERE)))
        .as("the refused grant has nothing to end")
        .isFalse();
    assertThat(sso.calls().stream().filter("CreateAccountAssignment"::equals)).hasSize(1);
    assertThat(alex).isNotEmpty();
  }

  @Test
  void aGrantStartingWhileTheSameAssignmentIsBeingDeletedWaitsAndIsAssignedAnew() throws Exception {
    String alice = store.addUser("alice@example.com").userId();
    deliver(approved("grt_old", Requests.ALICE));
    sso.requests().pollsBeforeDone(50);
    Change revoke = revoked("grt_old", Requests.ALICE);
    assertThat(commit(revoke)).isTrue();
    assertThatThrownBy(() -> deliverCommitted(revoke))
        .as("AWS has not finished the deletion within the delivery's looks")
        .isNotNull();
    assertThat(state("grt_old")).containsExactly("deleting");
    assertThat(sso.assignments()).as("listed until AWS is done").hasSize(1);

    Change approval = approved("grt_new", Requests.ALICE);
    assertThat(commit(approval)).isTrue();
    assertThatThrownBy(() -> deliverCommitted(approval))
        .as("the new grant waits for the deletion under way")
        .hasMessageContaining("grt_old");
    assertThat(state("grt_new")).containsExactly("creating");

    sso.requests().settle().pollsBeforeDone(2);
    deliverCommitted(revoke);
    assertThat(state("grt_old")).containsExactly("deleted");
    deliverCommitted(approval);

    assertThat(state("grt_new")).containsExactly("created");
    assertThat(sso.assignments())
        .as("the new grant's assignment, made after the old one's deletion")
        .containsExactly(assignmentOf(alice));
    deliver(revoked("grt_new", Requests.ALICE));
    assertThat(sso.assignments()).as("and stint's to delete at its end").isEmpty();
  }

  @Test
  void aDeletionCutShortAfterAwsTookItIsSeenThroughBeforeTheAssignmentIsMadeAgain()
      throws Exception {
    String alice = store.addUser("alice@example.com").userId();
    deliver(approved("grt_cut", Requests.ALICE));
    AtomicBoolean cut = new AtomicBoolean();
    restartWith(
        real ->
            new ForwardingAssigner(real) {
              @Override
              public CompletableFuture<Step> delete(AccountAssignment at, String userId) {
                return super.delete(at, userId)
                    .thenApply(
                        step -> {
                          if (cut.compareAndSet(false, true)) {
                            throw new IllegalStateException("cut short after AWS took it");
                          }
                          return step;
                        });
              }
            });
    Change revoke = revoked("grt_cut", Requests.ALICE);
    assertThat(commit(revoke)).isTrue();
    assertThatThrownBy(() -> deliverCommitted(revoke)).isNotNull();
    assertThat(state("grt_cut")).containsExactly("deleting");

    Change approval = approved("grt_next", Requests.ALICE);
    assertThat(commit(approval)).isTrue();
    assertThatThrownBy(() -> deliverCommitted(approval))
        .as("the new grant waits for the deletion AWS took")
        .hasMessageContaining("grt_cut");

    deliverCommitted(revoke);
    sso.requests().settle();
    deliverCommitted(approval);

    assertThat(state("grt_cut")).containsExactly("deleted");
    assertThat(state("grt_next")).containsExactly("created");
    assertThat(sso.assignments()).containsExactly(assignmentOf(alice));
  }
}
