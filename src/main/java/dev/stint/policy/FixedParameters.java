package dev.stint.policy;

import dev.stint.common.ParameterValues;
import java.util.Optional;

/**
 * The values a bundle or a CI rule fixes for a narrowed profile ({@code parameters: {NAME:
 * value}}): read with the file, then checked against the profile once every file is merged, by
 * filling the profile's template as a request's values are filled. A value is not checked against
 * its parameter's {@code values}: that list is read from a person, and a load has none (a bundle's
 * values are checked against its requester's list when the bundle is requested; a CI rule has no
 * person).
 */
final class FixedParameters {
  private FixedParameters() {}

  /** The {@code parameters} of {@code n}: none when absent, empty when a problem was reported. */
  static Optional<ParameterValues> read(YamlNode n) {
    if (!n.has("parameters")) {
      return Optional.of(ParameterValues.NONE);
    }
    return n.child("parameters").flatMap(YamlNode::texts).map(ParameterValues::of);
  }

  /**
   * Why {@code values} cannot serve {@code profile}, or empty: values for a profile without
   * parameters, none for a narrowed profile, or values its template refuses.
   *
   * @param by who fixes them, as a problem names it ({@code bundle 'incident'})
   */
  static Optional<String> refusal(Profile profile, ParameterValues values, String by) {
    if (profile.parameters().isEmpty()) {
      return values.isEmpty()
          ? Optional.empty()
          : Optional.of("profile '" + profile.name() + "' takes no parameters");
    }
    if (values.isEmpty()) {
      return Optional.of(
          "profile '"
              + profile.name()
              + "' is narrowed: "
              + by
              + " must fix a value for each of its parameters ("
              + String.join(", ", profile.parameters().keySet())
              + ")");
    }
    try {
      profile.narrowedPolicy(values);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of("profile '" + profile.name() + "': " + e.getMessage());
    }
  }
}
