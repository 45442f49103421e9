package dev.stint.policy;

import dev.stint.common.ParameterValues;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Profiles requested together under one name: one reason, one approval round, a grant per profile.
 * The approval is the strictest of the profiles' (PolicyEvaluator decides how). {@code parameters}
 * fix the values of its narrowed profiles, by profile: a bundle's requester gives none. {@code
 * accessReview}, when set, reviews each of its profiles that declares no review of its own.
 */
public record Bundle(
    String name,
    List<String> profiles,
    String description,
    Map<String, ParameterValues> parameters,
    Optional<ReviewRule> accessReview) {
  /** A bundle holds at least two profiles and at most this many. */
  public static final int MAX_PROFILES = 50;

  public Bundle {
    profiles = List.copyOf(profiles);
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /** A bundle of profiles without parameters. */
  public Bundle(String name, List<String> profiles, String description) {
    this(name, profiles, description, Map.of(), Optional.empty());
  }

  /** The values this bundle fixes for {@code profile}; none for a profile it does not narrow. */
  public ParameterValues parametersOf(String profile) {
    return parameters.getOrDefault(profile, ParameterValues.NONE);
  }
}
