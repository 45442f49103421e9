package dev.stint.policy;

import java.time.Duration;
import java.util.Optional;

/**
 * One stage of a profile's approval: {@code count} distinct approvers satisfying {@code approvers}
 * decide it, in its turn. {@code skipIf}, when it holds for the request as filed, skips the stage;
 * {@code escalation} and {@code remindAfter} count from when the stage opened.
 */
public record Stage(
    String name,
    int count,
    Condition approvers,
    Optional<Condition> skipIf,
    Optional<Escalation> escalation,
    Optional<Duration> remindAfter) {

  /** The name of the one stage of an approval written without {@code stages}. */
  public static final String SINGLE = "approval";

  /** The facts deciding who may vote in this stage reads. */
  FactNeeds voteNeeds() {
    FactNeeds needs = approvers.needs();
    return escalation.map(e -> needs.and(e.to().needs())).orElse(needs);
  }
}
