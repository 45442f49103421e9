package dev.stint.access;

import dev.stint.error.ErrorCode;
import dev.stint.identity.Person;
import dev.stint.policy.RequestRights;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One approver's decision on one request, in the stage that was open when they made it ({@code
 * stage}; empty for votes recorded before requests had stages); each approver has at most one.
 *
 * <p>Whether a vote may be cast ({@link #refusal}) is answered here too, for a request and for what
 * hangs on one and waits on people (an extension, a task lease): every path that takes such a vote
 * asks here, so the rules and their words live once, checked in this order:
 *
 * <ol>
 *   <li>a cancel is the asker's alone, and only while it waits;
 *   <li>only what waits is voted on;
 *   <li>a step-up approver votes only after a fresh sign-in (the refusal says what to do);
 *   <li>a second vote is a conflict, said before anything a policy change could have altered;
 *   <li>an approver of a stage still to come waits for it ({@code stage_not_open});
 *   <li>no one votes on their own request or ask, whatever the policy says;
 *   <li>the policy must count the voter as an approver.
 * </ol>
 *
 * The state machines keep the rules no policy changes (1, 2, 6, 7 and the second vote) by asking
 * {@link #refusal(Subject, Action, Person, boolean)}, so each stays safe when called alone.
 */
public record Vote(
    Person approver,
    Decision decision,
    Optional<String> comment,
    Instant at,
    Optional<String> stage) {

  /** A vote in no named stage. */
  public Vote(Person approver, Decision decision, Optional<String> comment, Instant at) {
    this(approver, decision, comment, at, Optional.empty());
  }

  /** What an approver said. */
  public enum Decision {
    APPROVE,
    DENY;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What is voted on, in the words a refusal uses: {@code request} and {@code a request}. */
  public record Kind(String noun, String withArticle) {
    public static final Kind REQUEST = new Kind("request", "a request");
  }

  /**
   * One thing voted on: its kind, whether it waits, its state's code, who asked for it, its
   * profile, and the votes cast on it so far.
   */
  public record Subject(
      Kind kind, boolean pending, String state, Person asker, String profile, List<Vote> votes) {
    public Subject {
      votes = List.copyOf(votes);
    }

    /** Someone the same person as {@code voter} (or perhaps so) already decided this. */
    boolean votedBy(Person voter) {
      return votes.stream().anyMatch(v -> v.approver().mightBe(voter));
    }
  }

  /** Why a vote is not cast; {@code reason} is safe to show the caller. */
  public record Refusal(ErrorCode code, String reason) {}

  /**
   * Why {@code voter} may not cast {@code action} on {@code s}, with the policy's answers {@code
   * may} about the request {@code s} hangs on; empty when the vote may be cast.
   */
  public static Optional<Refusal> refusal(
      Subject s, Action action, Person voter, RequestRights may) {
    if (action != Action.APPROVE && action != Action.DENY || !s.pending()) {
      return refusal(s, action, voter, false);
    }
    Optional<String> stepUp = may.stepUpNeeded();
    if (stepUp.isPresent()) {
      return Optional.of(new Refusal(ErrorCode.FORBIDDEN, stepUp.get()));
    }
    boolean own = may.mightBeRequester() || voter.mightBe(s.asker());
    if (s.votedBy(voter) && !own) {
      return Optional.of(alreadyDecided(s));
    }
    Optional<String> later = may.stageNotOpen();
    if (later.isPresent()) {
      return Optional.of(new Refusal(ErrorCode.STAGE_NOT_OPEN, later.get()));
    }
    if (own) {
      return Optional.of(own(s, action));
    }
    return refusal(s, action, voter, policySays(action, may).allowed());
  }

  /**
   * The rules no policy changes, for callers told only whether the policy counts {@code voter} as
   * an approver ({@code approver}; not read for a cancel): the state machines.
   */
  public static Optional<Refusal> refusal(
      Subject s, Action action, Person voter, boolean approver) {
    if (action == Action.CANCEL) {
      if (!voter.is(s.asker())) {
        return Optional.of(
            new Refusal(
                ErrorCode.FORBIDDEN, "only the requester can cancel " + s.kind().withArticle()));
      }
      return notPending(s);
    }
    if (action != Action.APPROVE && action != Action.DENY) {
      return Optional.of(
          new Refusal(
              ErrorCode.INVALID_REQUEST,
              s.kind().withArticle() + " can be approved, denied or cancelled"));
    }
    Optional<Refusal> waits = notPending(s);
    if (waits.isPresent()) {
      return waits;
    }
    if (voter.mightBe(s.asker())) {
      return Optional.of(own(s, action));
    }
    if (!approver) {
      return Optional.of(
          new Refusal(ErrorCode.FORBIDDEN, "you are not an approver for profile " + s.profile()));
    }
    return s.votedBy(voter) ? Optional.of(alreadyDecided(s)) : Optional.empty();
  }

  /** The policy's answer for this vote: approvers approve, and deny alike. */
  // qualified: a vote has a Decision of its own (approve or deny), this is the policy's answer
  private static dev.stint.policy.Decision policySays(Action action, RequestRights may) {
    return action == Action.DENY ? may.mayDeny() : may.mayApprove();
  }

  private static Optional<Refusal> notPending(Subject s) {
    if (s.pending()) {
      return Optional.empty();
    }
    return Optional.of(
        new Refusal(ErrorCode.CONFLICT, s.kind().noun() + " is " + s.state() + ", not pending"));
  }

  private static Refusal own(Subject s, Action action) {
    String hint = action == Action.DENY ? "; cancel it instead" : "";
    return new Refusal(
        ErrorCode.FORBIDDEN, "you cannot " + action.code() + " your own " + s.kind().noun() + hint);
  }

  private static Refusal alreadyDecided(Subject s) {
    return new Refusal(ErrorCode.CONFLICT, "you have already decided on this " + s.kind().noun());
  }
}
