package dev.stint.access;

import dev.stint.access.NewRequest.Narrowed;
import dev.stint.common.FilledDocument;
import dev.stint.common.ParameterValues;
import dev.stint.error.StintException;
import dev.stint.identity.Principal;
import dev.stint.policy.FilingRights;
import dev.stint.policy.Parameter;
import dev.stint.policy.Profile;
import java.time.Instant;
import java.util.Optional;

/**
 * A request's values for a narrowed profile's parameters, checked before anything is stored: every
 * parameter given and none other, each value matching its pattern in full, one the person may
 * choose where the parameter lists values, and the document they fill within what the cloud takes.
 * The document is what the request then carries to its approvers and its grant is minted on.
 */
final class RequestParameters {
  private RequestParameters() {}

  /**
   * @throws StintException {@code invalid_request} for values the profile does not take, {@code
   *     forbidden} for a value {@code who} may not choose (or when the choices cannot be read)
   */
  static Narrowed checked(Profile profile, ParameterValues values, Principal who, Instant now) {
    Optional<FilledDocument> policy;
    try {
      policy = profile.narrowedPolicy(values);
    } catch (IllegalArgumentException e) {
      throw StintException.invalid(
          "parameters of profile '" + profile.name() + "': " + e.getMessage());
    }
    for (Parameter p : profile.parameters().values()) {
      if (p.values().isPresent()) {
        FilingRights.mayGive(p, p.allowedFor(who, now), values.values().get(p.name())).orRefuse();
      }
    }
    return new Narrowed(values, policy);
  }
}
