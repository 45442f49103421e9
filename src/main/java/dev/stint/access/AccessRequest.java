package dev.stint.access;

import dev.stint.identity.Person;
import dev.stint.policy.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A request for a profile, with everything decided about it so far, in three named parts: what was
 * asked ({@link NewRequest}, by {@code requester}), its {@link Lifecycle} (state, votes toward the
 * approvals it needs, its grant) and its {@link Revision} (when it was written, and the version its
 * row is locked by). Values only: transitions are computed by {@link RequestMachine} and stored by
 * the store.
 *
 * <p>The flat accessors ({@code profile()}, {@code state()}, ...) delegate to the parts, so readers
 * need not know where a value lives.
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
}
