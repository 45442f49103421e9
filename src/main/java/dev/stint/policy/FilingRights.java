package dev.stint.policy;

import java.util.Optional;

/**
 * What a person may file, answered before there is a request to hold rights on: for a profile a
 * review has not suspended them from, break-glass for a profile, and a value for a parameter that
 * lists the values they may give. Who may ask for a profile at all is its {@code requesters} rule
 * ({@link PolicyEvaluator#canRequest}); what one may do with a request once filed is {@link
 * RequestRights}'.
 */
public final class FilingRights {
  private FilingRights() {}

  /**
   * A break-glass request, approved at once and reviewed after, is filed only for a profile whose
   * policy allows it.
   */
  public static Decision mayBreakGlass(Profile profile) {
    return profile.breakGlass()
        ? Decision.allow("profile " + profile.name() + " allows break-glass")
        : Decision.deny("profile " + profile.name() + " does not allow break-glass");
  }

  /**
   * A parameter that lists the values a person may give ({@link Parameter#allowedFor}) takes only
   * one of those in {@code allowed}; none when the list could not be read (fail closed).
   */
  public static Decision mayGive(Parameter p, AllowedValues.Result allowed, String value) {
    if (allowed.error().isPresent()) {
      return Decision.deny(
          "the values you may give parameter "
              + p.name()
              + " could not be read from the policy ("
              + allowed.error().get()
              + ")");
    }
    if (!allowed.values().contains(value)) {
      return Decision.deny(
          "you may give parameter "
              + p.name()
              + (allowed.values().isEmpty()
                  ? " no value: the policy lists none for you"
                  : " only one of " + String.join(", ", allowed.values())));
    }
    return Decision.allow("one of the values the policy lists for you");
  }

  /**
   * Nobody a review suspended from a profile ({@code hold}) files a request for it, until a later
   * review or an admin restores them.
   */
  public static Decision mayFile(String profile, Optional<LeaseRights.Suspension> hold) {
    return hold.map(
            h ->
                Decision.deny(
                    "your eligibility for profile "
                        + profile
                        + " was suspended by access review "
                        + h.reviewId()
                        + " at "
                        + h.since()
                        + "; a later review or an admin ('POST /v1/eligibility/restore') can"
                        + " restore it"))
        .orElseGet(() -> Decision.allow("not suspended from profile " + profile));
  }
}
