package dev.stint.policy;

import dev.stint.identity.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which of the policy's CI rules lets a workload's token be exchanged for a profile's credentials:
 * computed from the given values only, as {@link PolicyEvaluator} answers for people.
 */
public final class CiExchange {
  private final Policy policy;

  public CiExchange(Policy policy) {
    this.policy = policy;
  }

  /**
   * The first CI rule that names this token's issuer and the profile and whose {@code when} holds.
   */
  public Optional<CiRule> match(Principal p, String profile, Instant now) {
    List<String> why = new ArrayList<>();
    return ciRules(p, profile, now, why);
  }

  /** {@link #match} with the reason, for explain and policy tests. */
  public Decision canExchange(Principal p, String profile, Instant now) {
    List<String> why = new ArrayList<>();
    return ciRules(p, profile, now, why)
        .map(rule -> Decision.allow("CI rule '" + rule.name() + "' matches"))
        .orElseGet(() -> Decision.deny(String.join("; ", why)));
  }

  private Optional<CiRule> ciRules(Principal p, String profile, Instant now, List<String> why) {
    boolean peoplesIssuer =
        policy.login().map(l -> l.issuerName().equals(p.issuerName())).orElse(false);
    for (CiRule rule : policy.ci()) {
      if (peoplesIssuer
          || !rule.issuerName().equals(p.issuerName())
          || !rule.profile().equals(profile)) {
        continue;
      }
      if (rule.jtiRequired() && p.tokenId().isEmpty()) {
        why.add("CI rule '" + rule.name() + "' requires a token with a jti");
        continue;
      }
      Map<String, Object> vars = ConditionVariables.of(p, Map.of("profile", profile), now);
      Condition.Evaluation outcome = rule.when().evaluate(vars);
      if (outcome.value()) {
        return Optional.of(rule);
      }
      why.add(
          "CI rule '"
              + rule.name()
              + "' does not match"
              + outcome.error().map(e -> " (condition error: " + e + ")").orElse(""));
    }
    if (why.isEmpty()) {
      why.add("no CI rule for issuer '" + p.issuerName() + "' and profile '" + profile + "'");
    }
    return Optional.empty();
  }
}
