package dev.stint.access;

import dev.stint.identity.Person;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A request for a profile, with everything decided about it so far. Values only: transitions are
 * computed by {@link RequestMachine} and stored by the store.
 */
public record AccessRequest(
    String id,
    String profile,
    Person requester,
    String reason,
    Optional<String> ticket,
    Duration duration,
    Optional<Instant> startsAt,
    boolean breakGlass,
    int approvalsRequired,
    RequestState state,
    Instant createdAt,
    Instant updatedAt,
    int version,
    List<Vote> votes,
    Optional<Grant> grant) {

  public AccessRequest {
    votes = List.copyOf(votes);
  }

  /** Distinct approvers who said yes; the requester is never among them. */
  public long approvalCount() {
    return votes.stream()
        .filter(v -> v.decision() == Vote.Decision.APPROVE)
        .filter(v -> !v.approver().mightBe(requester))
        .count();
  }

  public boolean hasVoted(Person approver) {
    return votes.stream().anyMatch(v -> v.approver().mightBe(approver));
  }

  AccessRequest with(RequestState next, Instant now, List<Vote> nextVotes, Optional<Grant> g) {
    return new AccessRequest(
        id,
        profile,
        requester,
        reason,
        ticket,
        duration,
        startsAt,
        breakGlass,
        approvalsRequired,
        next,
        createdAt,
        now,
        version + 1,
        nextVotes,
        g);
  }
}
