package dev.stint.policy;

import java.util.List;

/** A policy directory that cannot be used, with every problem found (file, key, reason). */
public final class PolicyException extends RuntimeException {
  private final List<String> problems;

  public PolicyException(List<String> problems) {
    super(
        problems.size() == 1
            ? problems.get(0)
            : problems.size() + " policy problems: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
