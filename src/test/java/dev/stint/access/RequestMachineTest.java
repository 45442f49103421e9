package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest.ApprovalStage;
import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.AccessRequest.StageProgress;
import dev.stint.access.Transition.Changed;
import dev.stint.access.Transition.Refused;
import dev.stint.error.ErrorCode;
import dev.stint.identity.Person;
import dev.stint.policy.Decision;
import dev.stint.testing.Requests;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RequestMachineTest {
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  static final Person ALICE = person("alice");
  static final Person BOB = person("bob");
  static final Person CAROL = person("carol");
  static final Person DAVE = person("dave");

  /** What the policy answers an admin who reviews a break-glass grant. */
  static final Decision ADMIN_REVIEWS = Decision.allow("an admin may review any grant");

  static Person person(String name) {
    return new Person("https://idp.test", name, Optional.of(name + "@example.com"));
  }

  /** Alice's request for two hours of prod, created at T0. */
  static Requests.Builder alices() {
    return Requests.pending("req_1")
        .profile("prod")
        .requester(ALICE)
        .duration(Duration.ofHours(2))
        .at(T0);
  }

  static AccessRequest pending(int required) {
    return alices().approvalsRequired(required).build();
  }

  static AccessRequest inState(RequestState state) {
    AccessRequest p = pending(1);
    Optional<Grant> grant =
        state == RequestState.PENDING
            ? Optional.empty()
            : Optional.of(RequestMachine.grantFor(p, T0, "grt_1"));
    return alices().state(state).version(3).grant(grant).build();
  }

  static Act act(Person who, Duration after) {
    return new Act(who, T0.plus(after), Optional.of("ok"));
  }

  @Test
  void stintWithdrawsAPendingRequestAsACancel() {
    Transition t = RequestMachine.withdraw(pending(1), act(Act.SYSTEM, Duration.ofMinutes(1)));
    assertThat(t).isInstanceOf(Changed.class);
    Changed c = (Changed) t;
    assertThat(c.eventType()).isEqualTo("request.cancelled");
    assertThat(c.request().state()).isEqualTo(RequestState.CANCELLED);
  }

  static Stream<Arguments> refusals() {
    AccessRequest p = pending(2);
    AccessRequest bobVoted =
        ((Changed) RequestMachine.approve(p, act(BOB, Duration.ZERO), true, "g")).request();
    return Stream.of(
        Arguments.of(
            "requester approves own request, even if the policy allows",
            RequestMachine.approve(p, act(ALICE, Duration.ZERO), true, "g"),
            ErrorCode.FORBIDDEN,
            "your own request"),
        Arguments.of(
            "approver not allowed by policy",
            RequestMachine.approve(p, act(BOB, Duration.ZERO), false, "g"),
            ErrorCode.FORBIDDEN,
            "not an approver"),
        Arguments.of(
            "same approver twice",
            RequestMachine.approve(bobVoted, act(BOB, Duration.ZERO), true, "g"),
            ErrorCode.CONFLICT,
            "already decided"),
        Arguments.of(
            "approve a denied request",
            RequestMachine.approve(
                inState(RequestState.DENIED), act(BOB, Duration.ZERO), true, "g"),
            ErrorCode.CONFLICT,
            "denied, not pending"),
        Arguments.of(
            "requester denies own request",
            RequestMachine.deny(p, act(ALICE, Duration.ZERO), true),
            ErrorCode.FORBIDDEN,
            "cancel it instead"),
        Arguments.of(
            "deny by someone who may not approve",
            RequestMachine.deny(p, act(BOB, Duration.ZERO), false),
            ErrorCode.FORBIDDEN,
            "not an approver"),
        Arguments.of(
            "deny an approved request",
            RequestMachine.deny(inState(RequestState.APPROVED), act(BOB, Duration.ZERO), true),
            ErrorCode.CONFLICT,
            "approved, not pending"),
        Arguments.of(
            "cancel by someone else",
            RequestMachine.cancel(p, act(BOB, Duration.ZERO)),
            ErrorCode.FORBIDDEN,
            "only the requester"),
        Arguments.of(
            "cancel an approved request",
            RequestMachine.cancel(inState(RequestState.APPROVED), act(ALICE, Duration.ZERO)),
            ErrorCode.CONFLICT,
            "not pending"),
        Arguments.of(
            "withdraw by a person, even the requester",
            RequestMachine.withdraw(p, act(ALICE, Duration.ZERO)),
            ErrorCode.FORBIDDEN,
            "only stint"),
        Arguments.of(
            "withdraw an approved request",
            RequestMachine.withdraw(inState(RequestState.APPROVED), act(Act.SYSTEM, Duration.ZERO)),
            ErrorCode.CONFLICT,
            "not pending"),
        Arguments.of(
            "revoke without the right",
            RequestMachine.revoke(inState(RequestState.APPROVED), act(DAVE, Duration.ZERO), false),
            ErrorCode.FORBIDDEN,
            "may not revoke"),
        Arguments.of(
            "revoke a pending request",
            RequestMachine.revoke(p, act(ALICE, Duration.ZERO), true),
            ErrorCode.CONFLICT,
            "not approved"),
        Arguments.of(
            "revoke after the window ended",
            RequestMachine.revoke(
                inState(RequestState.APPROVED), act(ALICE, Duration.ofHours(3)), true),
            ErrorCode.CONFLICT,
            "already ended"),
        Arguments.of(
            "revoke twice",
            RequestMachine.revoke(inState(RequestState.REVOKED), act(ALICE, Duration.ZERO), true),
            ErrorCode.CONFLICT,
            "revoked, not approved"),
        Arguments.of(
            "time out before the review timeout",
            RequestMachine.timeOut(p, Duration.ofHours(24), T0.plus(Duration.ofHours(23))),
            ErrorCode.CONFLICT,
            "within its review time"),
        Arguments.of(
            "time out an approved request",
            RequestMachine.timeOut(
                inState(RequestState.APPROVED), Duration.ofHours(24), T0.plus(Duration.ofDays(2))),
            ErrorCode.CONFLICT,
            "not pending"),
        Arguments.of(
            "expire inside the window",
            RequestMachine.expire(inState(RequestState.APPROVED), T0.plus(Duration.ofHours(1))),
            ErrorCode.CONFLICT,
            "not ended"),
        Arguments.of(
            "expire a revoked grant",
            RequestMachine.expire(inState(RequestState.REVOKED), T0.plus(Duration.ofHours(3))),
            ErrorCode.CONFLICT,
            "not ended"),
        Arguments.of(
            "withdraw a vote as a person, even the voter",
            RequestMachine.withdrawVote(bobVoted, BOB, act(BOB, Duration.ZERO)),
            ErrorCode.FORBIDDEN,
            "only stint"),
        Arguments.of(
            "withdraw a vote on an approved request",
            RequestMachine.withdrawVote(
                inState(RequestState.APPROVED), BOB, act(Act.SYSTEM, Duration.ZERO)),
            ErrorCode.CONFLICT,
            "not pending"),
        Arguments.of(
            "withdraw a vote never cast",
            RequestMachine.withdrawVote(bobVoted, CAROL, act(Act.SYSTEM, Duration.ZERO)),
            ErrorCode.CONFLICT,
            "no approval of theirs"),
        Arguments.of(
            "withdraw a vote that approved a stage already",
            RequestMachine.withdrawVote(leadApproved(), BOB, act(Act.SYSTEM, Duration.ZERO)),
            ErrorCode.CONFLICT,
            "no approval of theirs"),
        Arguments.of(
            "review a grant that is not break-glass",
            RequestMachine.review(
                inState(RequestState.APPROVED), act(BOB, Duration.ZERO), ADMIN_REVIEWS),
            ErrorCode.CONFLICT,
            "no break-glass grant"));
  }

  /** A request in two stages (lead 1, security 2) whose lead stage Bob approved. */
  static AccessRequest leadApproved() {
    AccessRequest staged =
        alices()
            .stages(new ApprovalStage("lead", 1, false), new ApprovalStage("security", 2, false))
            .build();
    return ((Changed) RequestMachine.approve(staged, act(BOB, Duration.ZERO), true, "g")).request();
  }

  @Test
  void stintWithdrawsAVoteInTheOpenStageAndTheRequestNeedsAnotherApprover() {
    AccessRequest bothVoted =
        ((Changed)
                RequestMachine.approve(
                    leadApproved(), act(CAROL, Duration.ofMinutes(1)), true, "g"))
            .request();

    Changed c =
        (Changed)
            RequestMachine.withdrawVote(bothVoted, CAROL, act(Act.SYSTEM, Duration.ofMinutes(2)));

    assertThat(c.eventType()).isEqualTo("approval.withdrawn");
    assertThat(c.vote()).isEmpty();
    assertThat(c.request().state()).isEqualTo(RequestState.PENDING);
    assertThat(c.request().votes()).extracting(Vote::approver).containsExactly(BOB);
    assertThat(c.request().version()).isEqualTo(bothVoted.version() + 1);
    assertThat(StageProgress.open(c.request()).map(s -> s.name() + " " + s.votes()))
        .contains("security 0");
    // Dave's vote now counts where Carol's did, and one more is still needed.
    Changed dave =
        (Changed) RequestMachine.approve(c.request(), act(DAVE, Duration.ofMinutes(3)), true, "g");
    assertThat(dave.request().state()).isEqualTo(RequestState.PENDING);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refusesWithAClearReason(String name, Transition outcome, ErrorCode code, String reason) {
    assertThat(outcome).isInstanceOf(Refused.class);
    Refused refused = (Refused) outcome;
    assertThat(refused.code()).isEqualTo(code);
    assertThat(refused.reason()).contains(reason);
  }

  @Test
  void twoDistinctApproversApproveAndOpenTheWindowAtTheSecondApproval() {
    Transition first =
        RequestMachine.approve(pending(2), act(BOB, Duration.ofMinutes(1)), true, "g");
    Changed one = (Changed) first;
    assertThat(one.request().state()).isEqualTo(RequestState.PENDING);
    assertThat(one.eventType()).isEqualTo("approval.recorded");
    assertThat(one.request().approvalCount()).isEqualTo(1);

    Changed two =
        (Changed)
            RequestMachine.approve(one.request(), act(CAROL, Duration.ofMinutes(5)), true, "grt_x");
    assertThat(two.request().state()).isEqualTo(RequestState.APPROVED);
    assertThat(two.eventType()).isEqualTo("request.approved");
    assertThat(two.from()).isEqualTo(RequestState.PENDING);
    Grant g = two.request().grant().orElseThrow();
    assertThat(g.id()).isEqualTo("grt_x");
    assertThat(g.startsAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    assertThat(g.endsAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)).plus(Duration.ofHours(2)));
    assertThat(g.holder()).isEqualTo(ALICE);
    assertThat(two.request().version()).isEqualTo(2);
  }

  @Test
  void aScheduledWindowStartsAtItsStartTimeWhenApprovedEarlier() {
    Instant later = T0.plus(Duration.ofDays(1));
    AccessRequest scheduled = alices().startsAt(later).build();
    Changed c = (Changed) RequestMachine.approve(scheduled, act(BOB, Duration.ZERO), true, "g");
    assertThat(c.request().grant().orElseThrow().startsAt()).isEqualTo(later);
    assertThat(c.request().shownStateAt(T0)).isEqualTo("scheduled");
    assertThat(c.request().shownStateAt(later)).isEqualTo("active");
    assertThat(c.request().shownStateAt(later.plus(Duration.ofHours(2)))).isEqualTo("expired");
  }

  @Test
  void oneDenialDeniesAndRecordsTheVote() {
    Changed c = (Changed) RequestMachine.deny(pending(2), act(BOB, Duration.ZERO), true);
    assertThat(c.request().state()).isEqualTo(RequestState.DENIED);
    assertThat(c.vote().orElseThrow().decision()).isEqualTo(Vote.Decision.DENY);
    assertThat(c.request().grant()).isEmpty();
  }

  @Test
  void revokingEndsOnlyThisGrantAndRecordsWho() {
    Changed c =
        (Changed)
            RequestMachine.revoke(
                inState(RequestState.APPROVED), act(BOB, Duration.ofMinutes(10)), true);
    assertThat(c.request().state()).isEqualTo(RequestState.REVOKED);
    Grant g = c.request().grant().orElseThrow();
    assertThat(g.revocation().orElseThrow().by()).isEqualTo(BOB);
    assertThat(g.activeAt(T0.plus(Duration.ofMinutes(11)))).isFalse();
  }

  @Test
  void sweeperTransitionsAreRecordedAsTheSystem() {
    Changed timedOut =
        (Changed)
            RequestMachine.timeOut(pending(1), Duration.ofHours(24), T0.plus(Duration.ofHours(24)));
    assertThat(timedOut.request().state()).isEqualTo(RequestState.TIMED_OUT);
    Changed expired =
        (Changed)
            RequestMachine.expire(inState(RequestState.APPROVED), T0.plus(Duration.ofHours(2)));
    assertThat(expired.request().state()).isEqualTo(RequestState.EXPIRED);
    assertThat(expired.eventType()).isEqualTo("grant.expired");
  }

  @Test
  void autoApprovalAndBreakGlassCreateTheGrantAtCreation() {
    AccessRequest p = pending(2);
    AccessRequest approved = RequestMachine.created(p, true, "grt_a");
    assertThat(approved.state()).isEqualTo(RequestState.APPROVED);
    assertThat(approved.grant().orElseThrow().startsAt()).isEqualTo(T0);
    assertThat(RequestMachine.created(p, false, "unused").state()).isEqualTo(RequestState.PENDING);
  }

  @Test
  void breakGlassGrantsNeedAReviewBySomeoneElse() {
    AccessRequest bg =
        RequestMachine.created(alices().reason("INC-9").breakGlass(true).build(), true, "grt_bg");
    assertThat(bg.grant().orElseThrow().needsReview()).isTrue();
    Refused self = (Refused) RequestMachine.review(bg, act(ALICE, Duration.ZERO), ADMIN_REVIEWS);
    assertThat(self.code()).isEqualTo(ErrorCode.FORBIDDEN);
    Refused notReviewer =
        (Refused)
            RequestMachine.review(
                bg,
                act(BOB, Duration.ZERO),
                Decision.deny("you may not review grants for " + bg.profile()));
    assertThat(notReviewer.code()).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(notReviewer.reason()).isEqualTo("you may not review grants for " + bg.profile());
    Changed reviewed = (Changed) RequestMachine.review(bg, act(BOB, Duration.ZERO), ADMIN_REVIEWS);
    assertThat(reviewed.request().grant().orElseThrow().needsReview()).isFalse();
    assertThat(reviewed.request().state()).isEqualTo(RequestState.APPROVED);
  }
}
