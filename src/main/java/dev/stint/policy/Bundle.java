package dev.stint.policy;

import java.util.List;

/**
 * Profiles requested together under one name: one reason, one approval round, a grant per profile.
 * The approval is the strictest of the profiles' (PolicyEvaluator decides how).
 */
public record Bundle(String name, List<String> profiles, String description) {
  /** A bundle holds at least two profiles and at most this many. */
  public static final int MAX_PROFILES = 50;

  public Bundle {
    profiles = List.copyOf(profiles);
  }
}
