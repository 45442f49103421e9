package dev.stint.policy;

import java.time.Duration;
import java.util.Optional;

/**
 * What a person asks for, as the policy sees it (the profile is passed separately), and the facts
 * looked up for the decision at hand ({@link FactValues#NONE} when none were).
 */
public record RequestFacts(
    Duration duration,
    Optional<String> reason,
    Optional<String> ticket,
    boolean breakGlass,
    FactValues facts) {

  /** A request's own values, with no fact looked up. */
  public RequestFacts(
      Duration duration, Optional<String> reason, Optional<String> ticket, boolean breakGlass) {
    this(duration, reason, ticket, breakGlass, FactValues.NONE);
  }

  /** The same request, deciding with {@code looked} up. */
  public RequestFacts withFacts(FactValues looked) {
    return new RequestFacts(duration, reason, ticket, breakGlass, looked);
  }
}
