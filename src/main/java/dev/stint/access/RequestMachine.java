package dev.stint.access;

import dev.stint.access.AccessRequest.Lifecycle;
import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.AccessRequest.StageProgress;
import dev.stint.access.Transition.Changed;
import dev.stint.access.Transition.Refused;
import dev.stint.error.ErrorCode;
import dev.stint.identity.Person;
import dev.stint.policy.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The request state machine, pure: pending → approved → (active window) → expired; pending → denied
 * | cancelled | timed out; approved → revoked. Policy answers (may this person approve?) come in as
 * booleans so the rules that no policy can change live here, in one place.
 */
final class RequestMachine {
  private RequestMachine() {}

  /**
   * A new request as stored at creation: approved at once (with its grant) when the policy
   * auto-approves it or the requester uses break-glass, pending otherwise.
   */
  public static AccessRequest created(AccessRequest draft, boolean approveNow, String grantId) {
    if (!approveNow) {
      return draft;
    }
    Grant grant = grantFor(draft, draft.createdAt(), grantId);
    return draft.withLifecycle(draft.lifecycle().withState(RequestState.APPROVED).withGrant(grant));
  }

  /**
   * One approver's yes, counted in the open stage; the request is approved once every stage has its
   * count of distinct approvers.
   */
  public static Transition approve(
      AccessRequest r, Act act, boolean approverAllowed, String grantId) {
    Optional<Refused> refused = checkVote(r, act.actor(), approverAllowed, Action.APPROVE);
    if (refused.isPresent()) {
      return refused.get();
    }
    Optional<String> stage = StageProgress.open(r).map(StageProgress::name);
    Vote vote = new Vote(act.actor(), Vote.Decision.APPROVE, act.comment(), act.at(), stage);
    Lifecycle voted = r.lifecycle().withVote(vote);
    AccessRequest counted = r.revised(act.at(), voted);
    if (StageProgress.open(counted).isPresent()) {
      return new Changed(counted, r.state(), "approval.recorded", Optional.of(vote));
    }
    Grant grant = grantFor(r, act.at(), grantId);
    AccessRequest approved =
        r.revised(act.at(), voted.withState(RequestState.APPROVED).withGrant(grant));
    return new Changed(approved, r.state(), "request.approved", Optional.of(vote));
  }

  /** Any allowed approver can deny a pending request; one no is enough. */
  public static Transition deny(AccessRequest r, Act act, boolean approverAllowed) {
    Optional<Refused> refused = checkVote(r, act.actor(), approverAllowed, Action.DENY);
    if (refused.isPresent()) {
      return refused.get();
    }
    Optional<String> stage = StageProgress.open(r).map(StageProgress::name);
    Vote vote = new Vote(act.actor(), Vote.Decision.DENY, act.comment(), act.at(), stage);
    AccessRequest denied =
        r.revised(act.at(), r.lifecycle().withVote(vote).withState(RequestState.DENIED));
    return new Changed(denied, r.state(), "request.denied", Optional.of(vote));
  }

  /** The requester withdraws a request nobody has decided yet. */
  public static Transition cancel(AccessRequest r, Act act) {
    Optional<Refused> refused = checkVote(r, act.actor(), false, Action.CANCEL);
    if (refused.isPresent()) {
      return refused.get();
    }
    return changed(r, act, RequestState.CANCELLED, "request.cancelled");
  }

  /**
   * Stint withdraws a pending request of a person the directory deprovisioned: no one else may, and
   * no policy is asked, since the request's requester is no longer there to want it.
   */
  public static Transition withdraw(AccessRequest r, Act act) {
    if (!act.actor().is(Act.SYSTEM)) {
      return new Refused(ErrorCode.FORBIDDEN, "only stint withdraws a request");
    }
    if (r.state() != RequestState.PENDING) {
      return notPending(r);
    }
    return changed(r, act, RequestState.CANCELLED, "request.cancelled");
  }

  /**
   * Stint withdraws the approval {@code voter} gave a request still pending, when the directory
   * deprovisioned them: it stops counting, and the request needs another approver. Only a vote in
   * the open stage is withdrawn. A stage already approved was decided when it was, as an approved
   * request was: withdrawing such a vote would reopen a stage whose decision the next stage's
   * approvers already acted on, and undo what people were told was done.
   */
  public static Transition withdrawVote(AccessRequest r, Person voter, Act act) {
    if (!act.actor().is(Act.SYSTEM)) {
      return new Refused(ErrorCode.FORBIDDEN, "only stint withdraws a vote");
    }
    if (r.state() != RequestState.PENDING) {
      return notPending(r);
    }
    Optional<StageProgress> open = StageProgress.open(r);
    String first = r.stages().get(0).name();
    boolean inOpenStage =
        r.votes().stream()
            .filter(v -> v.approver().is(voter) && v.decision() == Vote.Decision.APPROVE)
            .anyMatch(v -> open.map(s -> s.name().equals(v.stage().orElse(first))).orElse(false));
    if (!inOpenStage) {
      return new Refused(ErrorCode.CONFLICT, "no approval of theirs waits in the open stage");
    }
    AccessRequest withdrawn = r.revised(act.at(), r.lifecycle().withoutVoteOf(voter));
    return new Changed(withdrawn, r.state(), "approval.withdrawn", Optional.empty());
  }

  /**
   * Ends an approved grant early. Who may revoke (requester, approvers, admins) is the caller's
   * policy question; here only this request's grant ends, never another one.
   */
  public static Transition revoke(AccessRequest r, Act act, boolean mayRevoke) {
    if (!mayRevoke) {
      return new Refused(ErrorCode.FORBIDDEN, "you may not revoke this grant");
    }
    if (r.state() != RequestState.APPROVED || r.grant().isEmpty()) {
      return new Refused(ErrorCode.CONFLICT, "request is " + r.state().code() + ", not approved");
    }
    Grant grant = r.grant().get();
    if (!act.at().isBefore(grant.endsAt())) {
      return new Refused(ErrorCode.CONFLICT, "the grant has already ended");
    }
    AccessRequest revoked =
        r.revised(
            act.at(),
            r.lifecycle()
                .withState(RequestState.REVOKED)
                .withGrant(grant.revoked(act.actor(), act.at())));
    return new Changed(revoked, r.state(), "grant.revoked", Optional.empty());
  }

  /** A pending request nobody decided within the review timeout. */
  public static Transition timeOut(AccessRequest r, Duration reviewTimeout, Instant now) {
    if (r.state() != RequestState.PENDING) {
      return notPending(r);
    }
    if (now.isBefore(r.createdAt().plus(reviewTimeout))) {
      return new Refused(ErrorCode.CONFLICT, "request is still within its review time");
    }
    return changed(r, Act.bySystem(now), RequestState.TIMED_OUT, "request.timed_out");
  }

  /** An approved request whose grant window has passed. */
  public static Transition expire(AccessRequest r, Instant now) {
    boolean ended = r.grant().map(g -> !now.isBefore(g.endsAt())).orElse(false);
    if (r.state() != RequestState.APPROVED || !ended) {
      return new Refused(ErrorCode.CONFLICT, "grant has not ended");
    }
    return changed(r, Act.bySystem(now), RequestState.EXPIRED, "grant.expired");
  }

  /**
   * Someone other than the requester looks at a break-glass grant after the fact: one the policy
   * lets review it ({@code reviewer}, from {@code RequestRights#mayReview}), never its user.
   */
  public static Transition review(AccessRequest r, Act act, Decision reviewer) {
    Optional<Grant> grant = r.grant().filter(Grant::needsReview);
    if (grant.isEmpty()) {
      return new Refused(ErrorCode.CONFLICT, "request has no break-glass grant awaiting review");
    }
    if (act.actor().mightBe(r.requester())) {
      return new Refused(ErrorCode.FORBIDDEN, "you cannot review your own break-glass use");
    }
    if (!reviewer.allowed()) {
      return Refused.of(reviewer);
    }
    Grant reviewed = grant.get().reviewed(act.actor(), act.at());
    AccessRequest next = r.revised(act.at(), r.lifecycle().withGrant(reviewed));
    return new Changed(next, r.state(), "break_glass.reviewed", Optional.empty());
  }

  /** The window starts when approved, or at the scheduled start if that is later. */
  static Grant grantFor(AccessRequest r, Instant approvedAt, String grantId) {
    Instant start = r.startsAt().filter(s -> s.isAfter(approvedAt)).orElse(approvedAt);
    return new Grant(
        grantId,
        r.id(),
        r.profile(),
        r.requester(),
        start,
        start.plus(r.duration()),
        r.breakGlass(),
        Optional.empty(),
        Optional.empty(),
        r.narrowed());
  }

  /** The rules no policy changes on a vote ({@link Vote#refusal}), as this machine's refusal. */
  private static Optional<Refused> checkVote(
      AccessRequest r, Person who, boolean allowed, Action action) {
    return Vote.refusal(r.voteSubject(), action, who, allowed)
        .map(no -> new Refused(no.code(), no.reason()));
  }

  private static Refused notPending(AccessRequest r) {
    return new Refused(ErrorCode.CONFLICT, "request is " + r.state().code() + ", not pending");
  }

  private static Changed changed(AccessRequest r, Act act, RequestState to, String eventType) {
    return new Changed(
        r.revised(act.at(), r.lifecycle().withState(to)), r.state(), eventType, Optional.empty());
  }
}
