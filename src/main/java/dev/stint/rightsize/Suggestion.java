package dev.stint.rightsize;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A profile's suggested session policy, from what its own credentials did that the cloud allowed
 * since {@code since}, with stint's proofs: {@code contained} (within today's session policy, by
 * the lease containment proof) and {@code coversObserved} (every observed call allowed by the
 * suggestion, by an evaluation of its statements). {@code unused}: today's Allow action patterns no
 * observed call matched. {@code today}: today's statements as stint reads them, empty when they are
 * managed policies stint cannot read. {@code suggestedStatements}: a JSON array, empty when nothing
 * was observed ({@code message} says so).
 */
public record Suggestion(
    String profile,
    Instant since,
    long grants,
    long calls,
    List<Observed> observed,
    Optional<String> suggestedStatements,
    Optional<String> today,
    Proof contained,
    Proof coversObserved,
    List<String> unused,
    List<String> notes) {

  public Suggestion {
    observed = List.copyOf(observed);
    unused = List.copyOf(unused);
    notes = List.copyOf(notes);
  }

  /** One IAM action the calls needed, how often, on which resources ({@code *}: not named). */
  public record Observed(String action, long count, List<String> resources, Instant lastSeen) {
    public Observed {
      resources = List.copyOf(resources);
    }
  }

  /** Whether a proof holds, and why not when it does not. */
  public record Proof(boolean proven, Optional<String> why) {
    static final Proof YES = new Proof(true, Optional.empty());

    static Proof of(Optional<String> whyNot) {
      return whyNot.map(w -> new Proof(false, Optional.of(w))).orElse(YES);
    }
  }

  /** Whether no allowed call was observed: nothing to suggest. */
  public boolean empty() {
    return observed.isEmpty();
  }

  /** The suggested policy document, as the policy file's {@code session_policy} takes it. */
  public Optional<String> suggestedDocument() {
    return suggestedStatements.map(s -> "{\"Version\":\"2012-10-17\",\"Statement\":" + s + "}");
  }
}
