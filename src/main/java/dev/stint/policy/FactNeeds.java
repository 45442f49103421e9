package dev.stint.policy;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * The facts a condition reads, known when it compiles: the PagerDuty schedules its {@code
 * oncall(SCHEDULE_ID)} calls name (always literal strings), whether it reads {@code ticket}, and
 * the {@code fact(NAME, ARGUMENT)} calls it makes (literal strings too). Only these are looked up
 * before a decision, so a policy without facts never waits on one.
 */
public record FactNeeds(Set<String> schedules, boolean ticket, Set<FactCall> facts) {
  public static final FactNeeds NONE = new FactNeeds(Set.of(), false, Set.of());

  public FactNeeds {
    schedules = Set.copyOf(schedules);
    // Sorted: refusals and explanations name the facts in the same order every time.
    facts = Collections.unmodifiableSet(new TreeSet<>(facts));
  }

  /** The on-call and ticket facts alone. */
  public FactNeeds(Set<String> schedules, boolean ticket) {
    this(schedules, ticket, Set.of());
  }

  public boolean none() {
    return schedules.isEmpty() && !ticket && facts.isEmpty();
  }

  /** What this reads that {@code held} has no value for: the facts nobody looked up. */
  public FactNeeds without(FactNeeds held) {
    Set<String> left = new TreeSet<>(schedules);
    left.removeAll(held.schedules);
    Set<FactCall> calls = new TreeSet<>(facts);
    calls.removeAll(held.facts);
    return new FactNeeds(left, ticket && !held.ticket, calls);
  }

  /** What this and {@code other} read together. */
  public FactNeeds and(FactNeeds other) {
    if (other.none()) {
      return this;
    }
    Set<String> all = new TreeSet<>(schedules);
    all.addAll(other.schedules);
    Set<FactCall> calls = new TreeSet<>(facts);
    calls.addAll(other.facts);
    return new FactNeeds(all, ticket || other.ticket, calls);
  }
}
