package dev.stint.finding.rules;

import dev.stint.policy.FindingRule;
import java.util.List;
import java.util.Objects;

/**
 * A rule that fired: which, the calls it names (the one that fired it last), and why, in one
 * sentence that names the rule, the calls and what they were compared with.
 */
public record Hit(FindingRule rule, List<EventRef> events, String why) {
  public Hit {
    Objects.requireNonNull(rule, "rule");
    events = List.copyOf(events);
    Objects.requireNonNull(why, "why");
    if (events.isEmpty()) {
      throw new IllegalArgumentException("a finding names at least one call");
    }
  }
}
