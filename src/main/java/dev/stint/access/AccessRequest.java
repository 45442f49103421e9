package dev.stint.access;

import dev.stint.access.NewRequest.Narrowed;
import dev.stint.identity.Person;
import dev.stint.policy.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A request for a profile, with everything decided about it so far, in three named parts: what was
 * asked ({@link NewRequest}, by {@code requester}), its {@link Lifecycle} (state, votes toward the
 * approvals its {@link ApprovalStage}s need, its grant) and its {@link Revision} (when it was
 * written, and the version its row is locked by). Values only: transitions are computed by {@link
 * RequestMachine} and stored by the store.
 *
 * <p>The flat accessors ({@code profile()}, {@code state()}, ...) delegate to the parts, so readers
 * need not know where a value lives; what is shown of it is worked out here too: where each stage
 * stands ({@link StageProgress}) and the state people see ({@link #shownStateAt}).
 */
public record AccessRequest(
    String id, Person requester, NewRequest asked, Lifecycle lifecycle, Revision revision) {

  /**
   * Where a request is in its life. Its {@code stages}, and the {@code approvalsRequired} they add
   * up to (skipped stages count nothing), are fixed when the request is created and stored with it;
   * votes count toward them.
   */
  public record Lifecycle(
      RequestState state,
      int approvalsRequired,
      List<ApprovalStage> stages,
      List<Vote> votes,
      Optional<Grant> grant) {

    public Lifecycle {
      stages = List.copyOf(stages);
      votes = List.copyOf(votes);
      if (stages.isEmpty()) {
        throw new IllegalArgumentException("a request's approval has at least one stage");
      }
    }

    /** A lifecycle of one stage needing {@code approvalsRequired} approvals. */
    public Lifecycle(
        RequestState state, int approvalsRequired, List<Vote> votes, Optional<Grant> grant) {
      this(state, approvalsRequired, single(approvalsRequired), votes, grant);
    }

    /** A new request needing one stage of approvals: pending, nobody has voted, no grant. */
    public static Lifecycle pending(int approvalsRequired) {
      return pending(single(approvalsRequired));
    }

    /** A new request with these stages: pending, nobody has voted, no grant. */
    public static Lifecycle pending(List<ApprovalStage> stages) {
      int required = stages.stream().filter(s -> !s.skipped()).mapToInt(ApprovalStage::count).sum();
      return new Lifecycle(RequestState.PENDING, required, stages, List.of(), Optional.empty());
    }

    /** The one stage of a request filed without stages. */
    public static List<ApprovalStage> single(int count) {
      return List.of(new ApprovalStage(Stage.SINGLE, count, false));
    }

    public Lifecycle withState(RequestState next) {
      return new Lifecycle(next, approvalsRequired, stages, votes, grant);
    }

    /** The votes so far and this one, in the order they were cast. */
    public Lifecycle withVote(Vote vote) {
      List<Vote> next = new ArrayList<>(votes);
      next.add(vote);
      return new Lifecycle(state, approvalsRequired, stages, next, grant);
    }

    /** The votes so far but {@code approver}'s, which no longer count. */
    public Lifecycle withoutVoteOf(Person approver) {
      List<Vote> next = votes.stream().filter(v -> !v.approver().is(approver)).toList();
      return new Lifecycle(state, approvalsRequired, stages, next, grant);
    }

    /** The grant as it now stands (issued, revoked or reviewed). */
    public Lifecycle withGrant(Grant next) {
      return new Lifecycle(state, approvalsRequired, stages, votes, Optional.of(next));
    }
  }

  /**
   * When the request was created and last written, and its row version: every change is written
   * only over the version it was computed from, so two concurrent decisions cannot both land.
   */
  public record Revision(Instant createdAt, Instant updatedAt, int version) {

    /** A request not yet stored: created and updated now, version 0. */
    public static Revision first(Instant now) {
      return new Revision(now, now, 0);
    }

    /** The revision after one change at {@code now}. */
    public Revision next(Instant now) {
      return new Revision(createdAt, now, version + 1);
    }
  }

  /** This request changed at {@code at} to {@code next}: one revision later. */
  AccessRequest revised(Instant at, Lifecycle next) {
    return new AccessRequest(id, requester, asked, next, revision.next(at));
  }

  /** This request with another lifecycle in the same revision (at creation, before any write). */
  AccessRequest withLifecycle(Lifecycle next) {
    return new AccessRequest(id, requester, asked, next, revision);
  }

  /** Distinct approvers who said yes; the requester is never among them. */
  public long approvalCount() {
    return votes().stream()
        .filter(v -> v.decision() == Vote.Decision.APPROVE)
        .filter(v -> !v.approver().mightBe(requester))
        .count();
  }

  public boolean hasVoted(Person approver) {
    return votes().stream().anyMatch(v -> v.approver().mightBe(approver));
  }

  public String profile() {
    return asked.profile();
  }

  public String reason() {
    return asked.reason();
  }

  public Optional<String> ticket() {
    return asked.ticket();
  }

  public Duration duration() {
    return asked.duration();
  }

  public Optional<Instant> startsAt() {
    return asked.startsAt();
  }

  public boolean breakGlass() {
    return asked.breakGlass();
  }

  /** What a narrowed profile's request is narrowed to; {@link Narrowed#NONE} otherwise. */
  public Narrowed narrowed() {
    return asked.narrowed();
  }

  public RequestState state() {
    return lifecycle.state();
  }

  public int approvalsRequired() {
    return lifecycle.approvalsRequired();
  }

  public List<Vote> votes() {
    return lifecycle.votes();
  }

  public List<ApprovalStage> stages() {
    return lifecycle.stages();
  }

  /**
   * Filed with an approval written in stages, not the one-stage form (whose single stage has a name
   * a staged approval may not use).
   */
  public boolean staged() {
    return stages().size() > 1 || !stages().get(0).name().equals(Stage.SINGLE);
  }

  public Optional<Grant> grant() {
    return lifecycle.grant();
  }

  public Instant createdAt() {
    return revision.createdAt();
  }

  public Instant updatedAt() {
    return revision.updatedAt();
  }

  public int version() {
    return revision.version();
  }

  /** This request as what is voted on ({@link Vote#refusal}), asked for by its requester. */
  Vote.Subject voteSubject() {
    return new Vote.Subject(
        Vote.Kind.REQUEST,
        state() == RequestState.PENDING,
        state().code(),
        requester,
        profile(),
        votes());
  }

  /**
   * The state people see at {@code now}: the stored state, with an approved request shown as {@code
   * scheduled} before its window, {@code active} inside it and {@code expired} after it even before
   * the sweeper has recorded the expiry.
   */
  public String shownStateAt(Instant now) {
    if (state() != RequestState.APPROVED || grant().isEmpty()) {
      return state().code();
    }
    Grant g = grant().get();
    if (now.isBefore(g.startsAt())) {
      return "scheduled";
    }
    return now.isBefore(g.endsAt()) ? "active" : "expired";
  }

  /**
   * One stage of a request's approval as it was when the request was filed: its name, how many
   * distinct approvers decide it, and whether its {@code skip_if} held then. Stored with the
   * request, so a later change of the policy never moves a request's approvals.
   */
  public record ApprovalStage(String name, int count, boolean skipped) {

    public ApprovalStage {
      if (count < 0) {
        throw new IllegalArgumentException("a stage's count is never negative");
      }
    }
  }

  /**
   * Where each stage of a request's approval stands, worked out from its recorded stages and its
   * votes: a stage is approved once it has its count of approvals, the first stage neither skipped
   * nor approved is open while the request is pending (from the request's filing, or from the vote
   * that approved the stage before it), and the stages after it wait.
   */
  public record StageProgress(
      String name, int count, long votes, State state, Optional<Instant> openedAt) {

    /** A stage's state, as the API names it. */
    public enum State {
      WAITING,
      OPEN,
      APPROVED,
      SKIPPED;

      public String code() {
        return name().toLowerCase(Locale.ROOT);
      }
    }

    /** Every stage of {@code r}, in order. */
    public static List<StageProgress> of(AccessRequest r) {
      Map<String, List<Vote>> byStage = approvalsByStage(r);
      List<StageProgress> out = new ArrayList<>();
      Optional<Instant> opens = Optional.of(r.createdAt());
      boolean openFound = false;
      for (ApprovalStage stage : r.stages()) {
        List<Vote> votes = byStage.getOrDefault(stage.name(), List.of());
        if (stage.skipped()) {
          out.add(
              new StageProgress(stage.name(), stage.count(), 0, State.SKIPPED, Optional.empty()));
        } else if (votes.size() >= stage.count() && opens.isPresent()) {
          out.add(
              new StageProgress(stage.name(), stage.count(), votes.size(), State.APPROVED, opens));
          opens = Optional.of(votes.get(stage.count() - 1).at());
        } else if (!openFound && opens.isPresent() && r.state() == RequestState.PENDING) {
          out.add(new StageProgress(stage.name(), stage.count(), votes.size(), State.OPEN, opens));
          openFound = true;
          opens = Optional.empty();
        } else {
          out.add(
              new StageProgress(
                  stage.name(), stage.count(), votes.size(), State.WAITING, Optional.empty()));
          opens = Optional.empty();
        }
      }
      return out;
    }

    /** The open stage of a pending request; empty once no stage is left to decide. */
    public static Optional<StageProgress> open(AccessRequest r) {
      return of(r).stream().filter(s -> s.state() == State.OPEN).findFirst();
    }

    /**
     * The approvals of {@code r} by stage, in the order cast; the requester's never count, and a
     * vote recorded before stages were (with none named) counts in the first stage.
     */
    private static Map<String, List<Vote>> approvalsByStage(AccessRequest r) {
      Map<String, List<Vote>> out = new HashMap<>();
      String first = r.stages().get(0).name();
      for (Vote v : r.votes()) {
        if (v.decision() == Vote.Decision.APPROVE && !v.approver().mightBe(r.requester())) {
          out.computeIfAbsent(v.stage().orElse(first), k -> new ArrayList<>()).add(v);
        }
      }
      return out;
    }
  }

  /**
   * The states a request is stored in. {@code APPROVED} covers the scheduled, active and
   * not-yet-swept parts of a grant's life; {@link AccessRequest#shownStateAt} derives those for
   * display.
   */
  public enum RequestState {
    PENDING,
    APPROVED,
    DENIED,
    CANCELLED,
    TIMED_OUT,
    REVOKED,
    EXPIRED;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static RequestState of(String code) {
      return Arrays.stream(values())
          .filter(s -> s.code().equals(code))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unknown request state " + code));
    }

    /** Nothing can happen to a request in a final state. */
    public boolean isFinal() {
      return this != PENDING && this != APPROVED;
    }
  }
}
