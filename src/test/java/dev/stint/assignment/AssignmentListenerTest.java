package dev.stint.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.RequestListener.Change;
import dev.stint.cloud.AccountAssignment;
import dev.stint.identity.Person;
import dev.stint.mint.Assigner.Step;
import dev.stint.outbox.DurableListener.Delivery;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Requests;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A grant of an identity_center profile is its account assignment: made on approval and deleted at
 * the grant's end or revoke, also by a server started afresh on the same database; a person without
 * an Identity Center user fails with nothing assigned; overlapping grants keep the assignment until
 * the last ends; an assignment stint did not make is never deleted.
 */
class AssignmentListenerTest extends AssignmentBench {
  @Test
  void aPersonWithoutAnIdentityCenterUserFailsCleanlyWithNothingAssigned() throws Exception {
    deliver(approved("grt_nouser", Requests.ALICE));

    assertThat(state("grt_nouser")).containsExactly("failed");
    assertThat(sso.assignments()).isEmpty();
    assertThat(sso.calls()).doesNotContain("CreateAccountAssignment");
    assertThat(events("assignment.failed")).containsExactly("grt_nouser");
    assertThat(
            AuditTables.strings(
                url, "SELECT reason FROM audit_events WHERE type = 'assignment.failed'"))
        .singleElement()
        .asString()
        .contains("no IAM Identity Center user named alice@example.com");

    assertThat(commit(revoked("grt_nouser", Requests.ALICE)))
        .as("a failed assignment has nothing to end: no work queued")
        .isFalse();
    assertThat(sso.calls()).doesNotContain("DeleteAccountAssignment");
  }

  /**
   * A revoke's deny names the user with IAM's wildcards, and a {@code $} may open a policy
   * variable: a user holding one in their name would have the deny end others' sessions or miss
   * their own, so they are never assigned.
   */
  @Test
  void aUserWhoseNameADenyCannotNameExactlyIsNeverAssigned() throws Exception {
    String[] names = {"al*ce@example.com", "al?ce@example.com", "al$ce@example.com"};
    for (int i = 0; i < names.length; i++) {
      store.addUser(names[i]);
      Person holder = new Person("https://idp.test", "odd" + i, Optional.of(names[i]));
      deliver(approved("grt_odd" + i, holder));

      assertThat(state("grt_odd" + i)).as(names[i]).containsExactly("failed");
    }
    assertThat(sso.assignments()).isEmpty();
    assertThat(sso.calls()).doesNotContain("CreateAccountAssignment");
    assertThat(
            AuditTables.strings(
                url, "SELECT reason FROM audit_events WHERE type = 'assignment.failed'"))
        .hasSize(3)
        .allSatisfy(why -> assertThat(why).contains("a revoke's deny cannot name exactly"));
  }

  /**
   * What AWS says of a creation it failed is its own text, which may name ids and accounts: the
   * requester and approvers (Slack, Teams, webhooks) are told a fixed sentence with AWS's status,
   * and the raw reason is kept in the audit and on the row.
   */
  @Test
  void awsReasonForAFailedCreationIsAuditedAndKeptButNotTold() throws Exception {
    String alice = store.addUser("alice@example.com").userId();
    sso.principals(id -> false);

    deliver(approved("grt_refused", Requests.ALICE));

    String raw = "principal " + alice + " does not exist";
    assertThat(state("grt_refused")).containsExactly("failed");
    assertThat(told())
        .singleElement()
        .asString()
        .contains("AWS did not create the account assignment")
        .contains("FAILED")
        .doesNotContain(raw)
        .doesNotContain(alice);
    assertThat(
            AuditTables.strings(
                url, "SELECT reason FROM audit_events WHERE type = 'assignment.failed'"))
        .singleElement()
        .asString()
        .contains(raw);
    assertThat(
            AuditTables.strings(
                url,
                "SELECT reason FROM identity_center_assignments WHERE grant_id = 'grt_refused'"))
        .singleElement()
        .asString()
        .contains(raw);
  }

  @Test
  void anApprovedGrantAssignsAndItsRevokeUnassignsAcrossARestart() throws Exception {
    String alice = store.addUser("ALICE@example.com").userId();

    deliver(approved("grt_one", Requests.ALICE));
    assertThat(state("grt_one")).containsExactly("created");
    assertThat(sso.assignments()).containsExactly(assignmentOf(alice));
    assertThat(events("assignment.created")).containsExactly("grt_one");

    server.stop();
    server = start();

    deliver(revoked("grt_one", Requests.ALICE));
    assertThat(state("grt_one")).containsExactly("deleted");
    assertThat(sso.assignments()).isEmpty();
    assertThat(events("assignment.deleted")).containsExactly("grt_one");
  }

  @Test
  void aBreakGlassGrantIsAssignedAtOnceAndUnassignedAtItsRevoke() throws Exception {
    String alice = store.addUser("alice@example.com").userId();
    assertThat(
            commit(change("request.created", "grt_glass", Requests.ALICE, RequestState.APPROVED)))
        .as("the filing itself is not the grant's start")
        .isFalse();

    deliver(change("break_glass.used", "grt_glass", Requests.ALICE, RequestState.APPROVED));
    assertThat(state("grt_glass")).containsExactly("created");
    assertThat(sso.assignments()).containsExactly(assignmentOf(alice));

    deliver(revoked("grt_glass", Requests.ALICE));
    assertThat(sso.assignments()).isEmpty();
    assertThat(state("grt_glass")).containsExactly("deleted");
  }

  @Test
  void aRepeatedDeliveryMakesNothingTwice() throws Exception {
    store.addUser("alice@example.com");
    deliver(approved("grt_twice", Requests.ALICE));
    deliverCommitted(approved("grt_twice", Requests.ALICE));

    assertThat(sso.calls().stream().filter("CreateAccountAssignment"::equals)).hasSize(1);
    assertThat(events("assignment.created")).containsExactly("grt_twice");
  }

  @Test
  void overlappingGrantsKeepTheAssignmentUntilTheLastEnds() throws Exception {
    String alice = store.addUser("alice@example.com").userId();
    deliver(approved("grt_first", Requests.ALICE));
    deliver(approved("grt_second", Requests.ALICE));
    assertThat(sso.calls().stream().filter("CreateAccountAssignment"::equals)).hasSize(1);

    deliver(revoked("grt_first", Requests.ALICE));
    assertThat(sso.assignments())
        .as("the second grant still holds it")
        .contains(assignmentOf(alice));
    assertThat(sso.calls()).doesNotContain("DeleteAccountAssignment");

    deliver(change("grant.expired", "grt_second", Requests.ALICE, RequestState.EXPIRED));
    assertThat(sso.assignments()).isEmpty();
    assertThat(state("grt_second")).containsExactly("deleted");
  }

  @Test
  void anAssignmentStintDidNotMakeIsNeverDeleted() throws Exception {
    String alice = store.addUser("alice@example.com").userId();
    sso.assign(MEMBER, permissionSet, alice);

    deliver(approved("grt_theirs", Requests.ALICE));
    deliver(revoked("grt_theirs", Requests.ALICE));

    assertThat(sso.assignments()).containsExactly(assignmentOf(alice));
    assertThat(sso.calls()).doesNotContain("CreateAccountAssignment", "DeleteAccountAssignment");
    assertThat(state("grt_theirs")).containsExactly("deleted");
    assertThat(
            AuditTables.strings(
                url,
                "SELECT details->>'assignment_deleted' FROM audit_events"
                    + " WHERE type = 'assignment.deleted'"))
        .containsExactly("false");
  }

  @Test
  void anotherPersonsAssignmentIsUntouched() throws Exception {
    String bob = store.addUser("bob@example.com").userId();
    sso.assign(MEMBER, permissionSet, bob);
    String alice = store.addUser("alice@example.com").userId();

    deliver(approved("grt_alice", Requests.ALICE));
    deliver(revoked("grt_alice", Requests.ALICE));

    assertThat(sso.assignments()).containsExactly(assignmentOf(bob));
    assertThat(alice).isNotEqualTo(bob);
  }

  @Test
  void throttlingAndConflictsAreRetried() throws Exception {
    String alice = store.addUser("alice@example.com").userId();
    sso.failNext("ThrottlingException");
    sso.failNext("ConflictException");

    deliver(approved("grt_busy", Requests.ALICE));

    assertThat(sso.assignments()).containsExactly(assignmentOf(alice));
    assertThat(state("grt_busy")).containsExactly("created");
  }

  @Test
  void aRefusalOfStintsRightsFailsTheDeliveryForTheOutboxToRetry() throws Exception {
    store.addUser("alice@example.com");
    sso.failNext("AccessDeniedException");

    Change change = approved("grt_denied", Requests.ALICE);
    assertThat(commit(change)).isTrue();
    assertThatThrownBy(
            () -> AuditTables.await(server.listener().deliver(change, new Delivery(1, 1))))
        .isNotNull();
    assertThat(sso.assignments()).isEmpty();
    assertThat(state("grt_denied")).containsExactly("creating");

    deliverCommitted(change);
    assertThat(state("grt_denied")).containsExactly("created");
  }

  @Test
  void anEndOfAGrantWithNoRecordedAssignmentIsNoWork() throws Exception {
    store.addUser("alice@example.com");
    assertThat(commit(revoked("grt_never", Requests.ALICE))).isFalse();
    assertThat(state("grt_never")).isEmpty();
  }

  @Test
  void aGrantRevokedBeforeItsAssignmentWasMadeAssignsNothing() throws Exception {
    store.addUser("alice@example.com");
    assertThat(commit(approved("grt_early", Requests.ALICE))).isTrue();
    assertThat(commit(revoked("grt_early", Requests.ALICE))).isTrue();

    deliverCommitted(change("request.approved", "grt_early", Requests.ALICE, RequestState.REVOKED));
    deliverCommitted(revoked("grt_early", Requests.ALICE));

    assertThat(sso.assignments()).isEmpty();
    assertThat(sso.calls()).doesNotContain("CreateAccountAssignment", "DeleteAccountAssignment");
    assertThat(state("grt_early")).containsExactly("deleted");
  }

  @Test
  void aRequesterWhoseEmailWasNotVerifiedFailsWithNothingAssigned() throws Exception {
    store.addUser("alice@example.com");
    emailVerified = false;

    deliver(approved("grt_unverified", Requests.ALICE));

    assertThat(state("grt_unverified")).containsExactly("failed");
    assertThat(events("assignment.failed")).containsExactly("grt_unverified");
    assertThat(sso.calls()).doesNotContain("CreateAccountAssignment");
    assertThat(sso.assignments()).isEmpty();
    assertThat(
            AuditTables.strings(
                url,
                "SELECT coalesce(user_name, '') FROM identity_center_assignments"
                    + " WHERE grant_id = 'grt_unverified'"))
        .containsExactly("");
  }

  /** The next start's first creation fails once AWS has made the assignment. */
  private void cutShortOnce() throws Exception {
    AtomicBoolean cut = new AtomicBoolean();
    restartWith(
        real ->
            new ForwardingAssigner(real) {
              @Override
              public CompletableFuture<Step> create(AccountAssignment at, String userId) {
                return super.create(at, userId)
                    .thenApply(
                        step -> {
                          if (cut.compareAndSet(false, true)) {
                            throw new IllegalStateException("cut short after AWS made it");
                          }
                          return step;
                        });
              }
            });
  }

  @Test
  void aCreationCutShortAfterAwsMadeItIsStillStintsToDelete() throws Exception {
    store.addUser("alice@example.com");
    cutShortOnce();
    Change change = approved("grt_cut", Requests.ALICE);
    assertThat(commit(change)).isTrue();
    assertThatThrownBy(() -> deliverCommitted(change)).isNotNull();
    assertThat(sso.assignments()).as("AWS made it before the delivery failed").hasSize(1);

    deliverCommitted(change);
    deliver(revoked("grt_cut", Requests.ALICE));

    assertThat(sso.assignments()).isEmpty();
    assertThat(state("grt_cut")).containsExactly("deleted");
  }

  @Test
  void aRevokeWhileAwsIsStillCreatingTheAssignmentWaitsForItAndDeletesIt() throws Exception {
    store.addUser("alice@example.com");
    sso.requests().pollsBeforeDone(1_000);
    cutShortOnce();
    Change change = approved("grt_cut_revoked", Requests.ALICE);
    assertThat(commit(change)).isTrue();
    assertThatThrownBy(() -> deliverCommitted(change)).isNotNull();
    assertThat(sso.assignments()).as("AWS is making it, not yet listing it").hasSize(1);
    assertThat(sso.calls()).doesNotContain("ListAccountAssignmentCreationStatus");

    Change revoke = revoked("grt_cut_revoked", Requests.ALICE);
    assertThat(commit(revoke)).isTrue();
    assertThatThrownBy(() -> deliverCommitted(revoke))
        .as("the revoke fails for the outbox to retry, rather than leave what AWS finishes")
        .isNotNull();
    assertThat(sso.calls()).contains("ListAccountAssignmentCreationStatus");
    assertThat(state("grt_cut_revoked")).containsExactly("creating");

    sso.requests().pollsBeforeDone(2).settle();
    deliverCommitted(revoke);
    deliverCommitted(
        change("request.approved", "grt_cut_revoked", Requests.ALICE, RequestState.REVOKED));

    assertThat(sso.assignments()).isEmpty();
    assertThat(state("grt_cut_revoked")).containsExactly("deleted");
    assertThat(events("assignment.deleted")).containsExactly("grt_cut_revoked");
  }
}
