package dev.stint.policy;

import dev.stint.common.ParameterValues;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a bundle ({@code bundles.NAME: {profiles, description, parameters}}) from its file, and
 * checks it against the profiles of every file once they are merged: each profile defined, all
 * approving in the same stages, and each narrowed profile given the values the bundle fixes for it.
 */
final class BundleParser {
  private BundleParser() {}

  /** The bundle; empty when a problem was reported. */
  static Optional<Bundle> parse(String name, YamlNode n, Conditions roleRules) {
    n.allowOnly(Set.of("profiles", "description", "parameters", "access_review"));
    Optional<List<String>> profiles = profiles(n);
    Optional<Map<String, ParameterValues>> parameters = parameters(n);
    Optional<Optional<ReviewRule>> review = ControlsParser.accessReview(n, roleRules);
    if (profiles.isEmpty() || parameters.isEmpty() || review.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Bundle(
            name,
            profiles.get(),
            n.string("description").orElse(""),
            parameters.get(),
            review.get()));
  }

  /**
   * {@code profiles} with each bundle's {@code access_review} on those of its profiles that declare
   * none of their own; a profile two bundles would review is a problem (declare its own).
   */
  static void reviewed(
      Map<String, Bundle> bundles,
      Map<String, Profile> profiles,
      Map<String, String> fileOf,
      ProblemList problems) {
    Map<String, String> reviewedBy = new LinkedHashMap<>();
    Set<String> ownReview = new HashSet<>();
    profiles.forEach((name, p) -> p.accessReview().ifPresent(r -> ownReview.add(name)));
    for (Bundle b : bundles.values()) {
      if (b.accessReview().isEmpty()) {
        continue;
      }
      for (String name : b.profiles()) {
        Profile p = profiles.get(name);
        if (p == null || ownReview.contains(name)) {
          continue;
        }
        String other = reviewedBy.putIfAbsent(name, b.name());
        if (other != null) {
          problems.add(
              fileOf.get("bundles." + b.name()),
              "bundles." + b.name() + ".access_review",
              "profile '"
                  + name
                  + "' is also reviewed by bundle '"
                  + other
                  + "': declare access_review on the profile");
          continue;
        }
        profiles.put(name, p.withAccessReview(b.accessReview().get()));
      }
    }
  }

  /** Two or more distinct profiles. */
  private static Optional<List<String>> profiles(YamlNode n) {
    Optional<List<String>> profiles = n.strings("profiles");
    if (profiles.isEmpty()) {
      if (!n.has("profiles")) {
        n.problem("profiles", "required: the profiles requested together");
      }
      return Optional.empty();
    }
    List<String> list = profiles.get();
    if (list.size() < 2 || list.size() > Bundle.MAX_PROFILES) {
      n.problem("profiles", "a bundle holds 2 to " + Bundle.MAX_PROFILES + " profiles");
      return Optional.empty();
    }
    if (new HashSet<>(list).size() != list.size()) {
      n.problem("profiles", "a profile is listed twice");
      return Optional.empty();
    }
    return profiles;
  }

  /** {@code parameters: {PROFILE: {NAME: value}}}: none when absent. */
  private static Optional<Map<String, ParameterValues>> parameters(YamlNode n) {
    if (!n.has("parameters")) {
      return Optional.of(Map.of());
    }
    boolean isMapping = n.raw("parameters").map(r -> r.isObject()).orElse(false);
    Map<String, YamlNode> byProfile = n.mapping("parameters");
    if (byProfile.isEmpty()) {
      if (isMapping) {
        n.problem("parameters", "must map a narrowed profile to {NAME: value}");
      }
      return Optional.empty();
    }
    Map<String, ParameterValues> read = new LinkedHashMap<>();
    byProfile.forEach(
        (profile, values) ->
            values.texts().ifPresent(v -> read.put(profile, ParameterValues.of(v))));
    return read.size() == byProfile.size() ? Optional.of(read) : Optional.empty();
  }

  /** Reports what keeps {@code b}, from {@code file}, from serving the merged {@code profiles}. */
  static void check(Bundle b, Map<String, Profile> profiles, String file, ProblemList problems) {
    String key = "bundles." + b.name();
    b.profiles().stream()
        .filter(p -> !profiles.containsKey(p))
        .forEach(p -> problems.add(file, key + ".profiles", "no profile named '" + p + "'"));
    stageMismatch(b, profiles).ifPresent(why -> problems.add(file, key + ".profiles", why));
    checkParameters(b, profiles, file, problems);
  }

  /** Values only for the bundle's own profiles, and each of its narrowed profiles filled. */
  private static void checkParameters(
      Bundle b, Map<String, Profile> profiles, String file, ProblemList problems) {
    String key = "bundles." + b.name() + ".parameters";
    b.parameters().keySet().stream()
        .filter(p -> !b.profiles().contains(p))
        .forEach(
            p -> problems.add(file, key + "." + p, "'" + p + "' is not a profile of this bundle"));
    for (String p : b.profiles()) {
      Profile profile = profiles.get(p);
      if (profile == null) {
        continue;
      }
      String where = b.parameters().containsKey(p) ? key + "." + p : key;
      FixedParameters.refusal(profile, b.parametersOf(p), "bundle '" + b.name() + "'")
          .ifPresent(why -> problems.add(file, where, why));
    }
  }

  /**
   * A bundle is decided stage by stage as one request, so its profiles must approve in the same
   * stages, by name and in order (each stage then needs the most approvals any of them asks).
   */
  private static Optional<String> stageMismatch(Bundle b, Map<String, Profile> profiles) {
    List<List<String>> stageNames =
        b.profiles().stream()
            .filter(profiles::containsKey)
            .map(p -> profiles.get(p).approval().stages().stream().map(Stage::name).toList())
            .distinct()
            .toList();
    if (stageNames.size() <= 1) {
      return Optional.empty();
    }
    return Optional.of(
        "the profiles of a bundle must approve in the same stages (found "
            + String.join("; ", stageNames.stream().map(names -> String.join(", ", names)).toList())
            + ")");
  }
}
