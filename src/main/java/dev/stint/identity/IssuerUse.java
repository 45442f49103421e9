package dev.stint.identity;

import java.util.Set;

/**
 * What an issuer's tokens may be used for. A CI provider signs a token for any repository on it, so
 * its tokens prove a workload, not a person: they may exchange under a CI rule and nothing else.
 * People's tokens never match CI rules.
 */
public enum IssuerUse {
  PEOPLE,
  CI;

  /** The policy's {@code use:} values: {@code people}, {@code ci} or {@code both}. */
  public static Set<IssuerUse> parse(String value) {
    return switch (value) {
      case "people" -> Set.of(PEOPLE);
      case "ci" -> Set.of(CI);
      case "both" -> Set.of(PEOPLE, CI);
      default -> throw new IllegalArgumentException("must be one of people, ci, both");
    };
  }

  public static String describe(Set<IssuerUse> uses) {
    return uses.size() == 2
        ? "both"
        : uses.contains(CI) ? "ci" : uses.isEmpty() ? "none" : "people";
  }
}
