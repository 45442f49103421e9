package dev.stint.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * What one finding rule does on one profile under the policy in force: its mode, the severity and
 * action a finding of it carries, and its tunings (each the rule's default where nothing names it;
 * zero where the rule takes none). A finding records the mode, severity and action it was raised
 * with, and what follows acts on that record, never on a later policy.
 */
public record RuleInForce(
    FindingRule rule,
    FindingMode mode,
    FindingSeverity severity,
    FindingAction action,
    Limits limits) {

  /** A burst's {@code threshold} and {@code window}, or volume's {@code threshold} and factor. */
  public record Limits(int threshold, Duration window, int factor) {
    public Limits {
      Objects.requireNonNull(window, "window");
    }

    /** The rule's own defaults. */
    public static Limits of(FindingRule rule) {
      return new Limits(rule.defaultThreshold(), rule.defaultWindow(), rule.defaultFactor());
    }
  }

  public RuleInForce {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(limits, "limits");
  }
}
