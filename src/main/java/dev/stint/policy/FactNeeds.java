package dev.stint.policy;

import java.util.Set;
import java.util.TreeSet;

/**
 * The facts a condition reads, known when it compiles: the PagerDuty schedules its {@code
 * oncall(SCHEDULE_ID)} calls name (always literal strings), and whether it reads {@code ticket}.
 * Only these are looked up before a decision, so a policy without facts never waits on one.
 */
public record FactNeeds(Set<String> schedules, boolean ticket) {
  public static final FactNeeds NONE = new FactNeeds(Set.of(), false);

  public FactNeeds {
    schedules = Set.copyOf(schedules);
  }

  public boolean none() {
    return schedules.isEmpty() && !ticket;
  }

  /** What this and {@code other} read together. */
  public FactNeeds and(FactNeeds other) {
    if (other.none()) {
      return this;
    }
    Set<String> all = new TreeSet<>(schedules);
    all.addAll(other.schedules);
    return new FactNeeds(all, ticket || other.ticket);
  }
}
