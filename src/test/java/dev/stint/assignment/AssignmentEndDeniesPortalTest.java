package dev.stint.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.RequestListener.Change;
import dev.stint.cloud.AccountAssignment;
import dev.stint.error.ErrorCode;
import dev.stint.identity.Person;
import dev.stint.mint.Assigner;
import dev.stint.mint.MintException;
import dev.stint.mint.aws.PortalPolicy;
import dev.stint.outbox.DurableListener.Delivery;
import dev.stint.testing.AuditTables;
import dev.stint.testing.FakeIam;
import dev.stint.testing.MutableClock;
import dev.stint.testing.Requests;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A grant's end denies the portal sessions its user took while the assignment lasted, once stint
 * has seen AWS delete it, for a revoke and an expiry alike: the revoke's own deny reaches only the
 * sessions issued before the revoke, yet the person can take more until AWS has finished the
 * deletion, and an expiry writes no revocation at all. Nobody else's sessions, nor the user's of
 * another permission set, are denied; a deny not written leaves the deletion to be asked again; and
 * an assignment another live grant of the person still holds is neither deleted nor denied.
 */
class AssignmentEndDeniesPortalTest extends PortalDenyBench {
  private static final String ALICE = "alice@example.com";

  private Change expired(String grantId, Person holder) {
    return change("grant.expired", grantId, holder, RequestState.EXPIRED);
  }

  private Instant deniedBefore(String grantId) throws Exception {
    String line =
        deniedBefore().stream().filter(l -> l.startsWith(grantId + " ")).findFirst().orElseThrow();
    return Instant.parse(line.substring(grantId.length() + 1));
  }

  @Test
  void aSessionTakenAfterTheRevokeButBeforeTheDeletionIsDenied() throws Exception {
    store.addUser(ALICE);
    deliver(approved("grt_h1", Requests.ALICE));
    Change revoke = revoked("grt_h1", Requests.ALICE);
    assertThat(commit(revoke)).isTrue();
    // The person takes a portal session after the revoke, while the assignment is still there.
    Instant afterRevoke = Instant.now().plusSeconds(1);
    assertThat(afterRevoke).isAfter(revoke.at());

    revocation(revoke);
    assertThat(denied(ROLE_NAME, ALICE, revoke.at().minusSeconds(60)))
        .as("the revoke's own deny, at once")
        .isTrue();
    assertThat(denied(ROLE_NAME, ALICE, afterRevoke)).as("not yet: after the revoke").isFalse();
    deliverCommitted(revoke);

    assertThat(state("grt_h1")).containsExactly("deleted");
    assertThat(denied(ROLE_NAME, ALICE, afterRevoke))
        .as("the session taken between the revoke and the deletion")
        .isTrue();
    Instant cutoff = deniedBefore("grt_h1");
    assertThat(cutoff).isAfterOrEqualTo(afterRevoke);

    // A new grant after the deletion: its sessions, issued after the cutoff, are not denied.
    deliver(approved("grt_h1_next", Requests.ALICE));
    assertThat(state("grt_h1_next")).containsExactly("created");
    assertThat(denied(ROLE_NAME, ALICE, cutoff.plusSeconds(1))).isFalse();
    assertThat(revocationAlarms).isEmpty();
  }

  @Test
  void aRevokeDeliveredWhileTheCreationIsInProgressStillEndsItsSessions() throws Exception {
    store.addUser(ALICE);
    Change approval = approved("grt_race", Requests.ALICE);
    Change revoke = revoked("grt_race", Requests.ALICE);
    AtomicBoolean revokedMidway = new AtomicBoolean();
    // Between hold() and make(): the revocation is delivered, and finds nothing of stint's yet.
    restartWith(
        real ->
            new ForwardingAssigner(real) {
              @Override
              public CompletableFuture<Optional<String>> unrevocable(AccountAssignment at) {
                return CompletableFuture.runAsync(
                        () -> {
                          try {
                            assertThat(commit(revoke)).isTrue();
                            revocation(revoke);
                            revokedMidway.set(true);
                          } catch (Exception e) {
                            throw new IllegalStateException(e);
                          }
                        })
                    .thenCompose(x -> super.unrevocable(at));
              }
            });

    deliver(approval);

    assertThat(revokedMidway).isTrue();
    assertThat(state("grt_race")).containsExactly("created");
    assertThat(AuditTables.count(url, "type = 'grant.revocation_applied'"))
        .as("the revocation settled")
        .isEqualTo(1);
    assertThat(AuditTables.strings(url, "SELECT user_name FROM revocation_user_cutoffs"))
        .as("with nothing of stint's to deny")
        .isEmpty();
    // The person takes a session while the assignment exists.
    Instant during = Instant.now();
    assertThat(denied(ROLE_NAME, ALICE, during)).isFalse();

    deliverCommitted(revoke);

    assertThat(sso.assignments()).isEmpty();
    assertThat(denied(ROLE_NAME, ALICE, during))
        .as("a session taken while the assignment the revoke raced existed")
        .isTrue();
  }

  @Test
  void anExpiryDeniesTheUsersSessionsOfTheRoleAndNobodyElses() throws Exception {
    store.addUser(ALICE);
    deliver(approved("grt_exp", Requests.ALICE));
    Instant during = Instant.now();

    deliver(expired("grt_exp", Requests.ALICE));

    assertThat(state("grt_exp")).containsExactly("deleted");
    assertThat(denied(ROLE_NAME, ALICE, during)).as("her session taken during the grant").isTrue();
    assertThat(denied(ROLE_NAME, "bob@example.com", during))
        .as("another user's session of the same role")
        .isFalse();
    assertThat(denied(ADMIN_NAME, ALICE, during))
        .as("her session of another permission set, whose role the policy also reaches")
        .isFalse();
    assertThat(deniedBefore()).singleElement().asString().startsWith("grt_exp 20");
  }

  @Test
  void aDenyNotWrittenLeavesTheDeletionToBeAskedAgainAndSettlesOnce() throws Exception {
    store.addUser(ALICE);
    deliver(approved("grt_fail", Requests.ALICE));
    Instant during = Instant.now();
    Change end = expired("grt_fail", Requests.ALICE);
    assertThat(commit(end)).isTrue();
    // Refused twice: the deny before asking AWS (which does not hold the deletion up), then the one
    // at its confirmation.
    iam.failNext(FakeIam.Failure.ACCESS_DENIED, FakeIam.Failure.ACCESS_DENIED);

    Throwable first = AuditTables.failure(server.listener().deliver(end, new Delivery(1, 1)));

    assertThat(first).isNotNull();
    assertThat(sso.assignments()).as("AWS deleted it").isEmpty();
    assertThat(state("grt_fail")).as("not settled without the deny").containsExactly("deleting");
    assertThat(events("assignment.deleted")).isEmpty();
    assertThat(denied(ROLE_NAME, ALICE, during)).isFalse();

    deliverCommitted(end);

    assertThat(state("grt_fail")).containsExactly("deleted");
    assertThat(denied(ROLE_NAME, ALICE, during)).isTrue();
    assertThat(events("assignment.deleted")).containsExactly("grt_fail");
    deliverCommitted(end);
    assertThat(events("assignment.deleted")).as("settled once").containsExactly("grt_fail");
  }

  /**
   * The permission set's role is looked up where the row's assignment was made; {@code lookup}
   * answers in its place.
   */
  private void rolesAnswer(Function<AccountAssignment, CompletableFuture<Assigner.Role>> lookup)
      throws Exception {
    restartWith(
        real ->
            new ForwardingAssigner(real) {
              @Override
              public CompletableFuture<Assigner.Role> role(AccountAssignment at) {
                return lookup.apply(at);
              }
            });
  }

  /**
   * Identity Center removes the permission set's role from the account with its last assignment
   * there, and the role's sessions end with it: neither the revoke nor the deletion has anything to
   * deny, and neither fails nor raises an alarm over it.
   */
  @Test
  void aRoleTheAccountNoLongerHoldsNeedsNoDenyAndFailsNothing() throws Exception {
    store.addUser(ALICE);
    deliver(approved("grt_gone", Requests.ALICE));
    rolesAnswer(
        at ->
            CompletableFuture.failedFuture(
                new MintException(ErrorCode.NOT_FOUND, "no such role", false, null)));
    Change revoke = revoked("grt_gone", Requests.ALICE);
    assertThat(commit(revoke)).isTrue();

    // The deletion first, then the revocation: the role went with the last assignment.
    deliverCommitted(revoke);
    revocation(revoke);

    assertThat(state("grt_gone")).containsExactly("deleted");
    assertThat(sso.assignments()).isEmpty();
    assertThat(deniedBefore()).containsExactly("grt_gone -");
    assertThat(iam.managed().versions(PORTAL_POLICY)).as("nothing written").isEqualTo(1);
    assertThat(AuditTables.count(url, "type = 'grant.revocation_applied'")).isEqualTo(1);
    assertThat(revocationAlarms).isEmpty();
  }

  /**
   * Just after provisioning, IAM may not list the role yet while AWS lists the assignment: the
   * revocation asks again rather than deny nothing, and denies once the role is listed.
   */
  @Test
  void aRoleNotListedWhileTheAssignmentIsMakesTheRevocationAskAgain() throws Exception {
    store.addUser(ALICE);
    deliver(approved("grt_lag", Requests.ALICE));
    Change revoke = revoked("grt_lag", Requests.ALICE);
    // A session taken before the revoke, whatever the time the test has taken so far.
    Instant during = revoke.at().minusSeconds(1);
    AtomicBoolean listed = new AtomicBoolean(false);
    Assigner.Role role = new Assigner.Role(role(ROLE_NAME), PortalPolicy.arnFor(role(ROLE_NAME)));
    rolesAnswer(
        at ->
            listed.get()
                ? CompletableFuture.completedFuture(role)
                : CompletableFuture.failedFuture(
                    new MintException(ErrorCode.NOT_FOUND, "no such role", false, null)));
    assertThat(commit(revoke)).isTrue();

    assertThatThrownBy(() -> revocation(revoke)).hasMessageContaining("not list");
    assertThat(AuditTables.count(url, "type = 'grant.revocation_applied'")).isZero();
    assertThat(revocationAlarms).as("IAM catching up is no alarm").isEmpty();

    listed.set(true);
    revocation(revoke);

    assertThat(denied(ROLE_NAME, ALICE, during)).isTrue();
    assertThat(AuditTables.count(url, "type = 'grant.revocation_applied'")).isEqualTo(1);
  }

  /** A role that could not be looked up is not a role that is gone: the deletion is asked again. */
  @Test
  void aRoleThatCouldNotBeLookedUpLeavesTheDeletionToBeAskedAgain() throws Exception {
    store.addUser(ALICE);
    deliver(approved("grt_iam_down", Requests.ALICE));
    Instant during = Instant.now();
    AtomicBoolean down = new AtomicBoolean(true);
    Assigner.Role role = new Assigner.Role(role(ROLE_NAME), PortalPolicy.arnFor(role(ROLE_NAME)));
    rolesAnswer(
        at ->
            down.get()
                ? CompletableFuture.failedFuture(
                    MintException.unavailable("aws", "IAM", new IllegalStateException("down")))
                : CompletableFuture.completedFuture(role));
    Change end = expired("grt_iam_down", Requests.ALICE);
    assertThat(commit(end)).isTrue();

    assertThat(AuditTables.failure(server.listener().deliver(end, new Delivery(1, 1)))).isNotNull();
    assertThat(state("grt_iam_down")).containsExactly("deleting");
    assertThat(events("assignment.deleted")).isEmpty();

    down.set(false);
    deliverCommitted(end);

    assertThat(state("grt_iam_down")).containsExactly("deleted");
    assertThat(denied(ROLE_NAME, ALICE, during)).isTrue();
  }

  /**
   * While AWS keeps failing the deletion, the person could take new portal sessions after the end:
   * each attempt first denies those taken until then, the first failure raises the alarm once
   * (AWS's own words kept out of it and out of the audit), and the outbox keeps asking.
   */
  @Test
  void aDeletionAwsKeepsFailingDeniesTheSessionsTakenUntilEachAttemptAndAlarmsOnce()
      throws Exception {
    store.addUser(ALICE);
    deliver(approved("grt_stuck", Requests.ALICE));
    String raw = "Request failed: internal marker 7f3a";
    sso.requests().failDeletions(Optional.of(raw));
    Change end = expired("grt_stuck", Requests.ALICE);
    assertThat(commit(end)).isTrue();

    MutableClock time = new MutableClock(Instant.now());
    server.stop();
    clock = time;
    server = start();

    assertThat(AuditTables.failure(server.listener().deliver(end, new Delivery(1, 1))))
        .hasMessageContaining(AssignmentRemoval.DELETION_FAILED);
    assertThat(sso.assignments()).as("AWS failed the deletion").hasSize(1);
    assertThat(state("grt_stuck")).containsExactly("deleting");
    // The person takes a session after the end, while AWS keeps the assignment.
    Instant afterFirst = time.instant();
    assertThat(denied(ROLE_NAME, ALICE, afterFirst)).isFalse();

    // IAM compares issue times to the second: the next attempt comes two seconds later.
    time.advance(Duration.ofSeconds(2));
    assertThat(AuditTables.failure(server.listener().deliver(end, new Delivery(1, 2))))
        .hasMessageContaining(AssignmentRemoval.DELETION_FAILED);

    assertThat(denied(ROLE_NAME, ALICE, afterFirst))
        .as("a session taken between two attempts, denied by the next")
        .isTrue();
    assertThat(denied(ROLE_NAME, ALICE, time.instant().plusSeconds(2)))
        .as("not one taken after it")
        .isFalse();
    assertThat(alarms).containsExactly("refused grt_stuck deletion");
    assertThat(
            AuditTables.strings(
                url, "SELECT reason FROM audit_events WHERE type = 'assignment.refused'"))
        .singleElement()
        .asString()
        .contains(AssignmentRemoval.DELETION_FAILED)
        .doesNotContain("7f3a");

    sso.requests().failDeletions(Optional.empty());
    deliverCommitted(end);
    assertThat(state("grt_stuck")).containsExactly("deleted");
    assertThat(sso.assignments()).isEmpty();
  }

  @Test
  void theFirstOfOverlappingGrantsToEndDeniesNothingWhileTheOtherIsLive() throws Exception {
    store.addUser(ALICE);
    deliver(approved("grt_one", Requests.ALICE));
    deliver(approved("grt_two", Requests.ALICE));
    Instant during = Instant.now();

    deliver(expired("grt_one", Requests.ALICE));

    assertThat(sso.assignments()).as("the other grant holds it").hasSize(1);
    assertThat(denied(ROLE_NAME, ALICE, during)).isFalse();
    assertThat(iam.managed().versions(PORTAL_POLICY)).as("nothing written").isEqualTo(1);
    assertThat(deniedBefore()).containsExactly("grt_one -");

    deliver(expired("grt_two", Requests.ALICE));

    assertThat(sso.assignments()).isEmpty();
    assertThat(denied(ROLE_NAME, ALICE, during)).isTrue();
  }
}
