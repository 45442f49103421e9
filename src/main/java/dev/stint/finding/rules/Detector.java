package dev.stint.finding.rules;

import dev.stint.policy.FindingRule;
import dev.stint.policy.RuleInForce;
import java.util.Optional;

/**
 * One rule: whether {@code judged} fires it, given what came before ({@code history}, which does
 * not hold the call yet) and the rule's tunings in force on its profile. Pure: the same inputs
 * answer the same.
 */
public interface Detector {
  FindingRule rule();

  Optional<Hit> check(Judged judged, History history, RuleInForce.Limits limits);
}
