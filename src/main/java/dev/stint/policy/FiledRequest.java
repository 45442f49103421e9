package dev.stint.policy;

import dev.stint.identity.Person;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A request someone already made, as the policy sees it when asked who may act on it: who made it,
 * for which profile, what they asked for (the approvers' conditions may read it), when it was made
 * ({@code filedAt}) and, while it is pending, which of its approval's stages is open ({@code
 * stage}: its approvers decide, and escalation counts from when it opened). Where the request
 * stands otherwise (approved, ended) is not here: the state machines own that.
 */
public record FiledRequest(
    Person requester,
    String profile,
    RequestFacts facts,
    Instant filedAt,
    Optional<OpenStage> stage) {

  /** A request with no stage open: its last stage's approvers decide what is asked of them. */
  public FiledRequest(Person requester, String profile, RequestFacts facts, Instant filedAt) {
    this(requester, profile, facts, filedAt, Optional.empty());
  }

  /**
   * The open stage of a pending request, when it opened, and the stages after it still to come
   * (skipped ones are not among them).
   */
  public record OpenStage(String name, Instant openedAt, List<String> waiting) {
    public OpenStage {
      waiting = List.copyOf(waiting);
    }
  }

  /** This request with the facts {@code looked} up added to what it asked. */
  public FiledRequest withFacts(FactValues looked) {
    return new FiledRequest(requester, profile, facts.withFacts(looked), filedAt, stage);
  }

  /** When escalation counts from: the open stage's opening, or the filing. */
  Instant waitingSince() {
    return stage.map(OpenStage::openedAt).orElse(filedAt);
  }

  /**
   * The stage of {@code p} whose approvers decide now: the open one, or the last when none is open;
   * empty when the open stage is no longer in the policy.
   */
  Optional<Stage> deciding(Profile p) {
    return stage.isPresent()
        ? p.approval().stage(stage.get().name())
        : Optional.of(p.approval().last());
  }
}
