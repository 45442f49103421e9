package dev.stint.extension;

import dev.stint.access.AccessRequest;
import dev.stint.access.AccessRules;
import dev.stint.access.Vote;
import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A request to lengthen an active grant by {@code duration}. It belongs to the grant (and its
 * request); only the grant's holder asks, and approvals follow the profile's rules.
 */
public record Extension(
    String id,
    String grantId,
    String requestId,
    String profile,
    Person requester,
    Duration duration,
    String reason,
    int approvalsRequired,
    State state,
    List<Vote> votes,
    Instant createdAt,
    Instant updatedAt,
    int version) {

  /** What refusals call an extension. */
  static final Vote.Kind KIND = new Vote.Kind("extension", "an extension");

  public enum State {
    PENDING,
    APPROVED,
    DENIED,
    CANCELLED,
    EXPIRED;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }

    static State of(String code) {
      return valueOf(code.toUpperCase(Locale.ROOT));
    }
  }

  public Extension {
    votes = List.copyOf(votes);
  }

  /** Distinct approvers who said yes; the requester is never among them. */
  public long approvalCount() {
    return votes.stream()
        .filter(v -> v.decision() == Vote.Decision.APPROVE)
        .filter(v -> !v.approver().mightBe(requester))
        .count();
  }

  /** What a vote on this extension is cast on ({@link Vote#refusal}): an ask of its holder's. */
  Vote.Subject subject() {
    return new Vote.Subject(KIND, state == State.PENDING, state.code(), requester, profile, votes);
  }

  boolean hasVoted(Person p) {
    return votes.stream().anyMatch(v -> v.approver().mightBe(p));
  }

  /**
   * Whether {@code p}'s vote would count on this extension of {@code request} under {@code rules},
   * a fresh sign-in for a step-up profile aside: it waits, they have not decided it, and the rules
   * let them approve both the request and this extension, so neither the request's requester nor
   * this extension's asker may be them. Votes on the request itself do not matter: those were cast
   * on something else. For choosing whom to tell; a vote is judged again when cast.
   */
  public boolean couldBeApprovedBy(Principal p, AccessRequest request, AccessRules rules) {
    return state == State.PENDING
        && !hasVoted(p.person())
        && rules.rights(p, request).couldApprove()
        && rules.rights(p, request, requester).couldApprove();
  }

  Extension with(State next, List<Vote> nextVotes, Instant at) {
    return new Extension(
        id,
        grantId,
        requestId,
        profile,
        requester,
        duration,
        reason,
        approvalsRequired,
        next,
        nextVotes,
        createdAt,
        at,
        version + 1);
  }
}
