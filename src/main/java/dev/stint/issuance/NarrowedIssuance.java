package dev.stint.issuance;

import dev.stint.access.NewRequest.Narrowed;
import dev.stint.common.FilledDocument;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.policy.Profile;
import java.util.Optional;

/**
 * A credential on a narrowed profile is minted with exactly the document its grant's approvers saw:
 * the profile's template filled today with the grant's values must be that document, byte for byte.
 * A template edited since (wider or narrower), a profile narrowed since the grant was approved, or
 * one no longer narrowed, serves the grant no more: its holder requests again and the new document
 * is approved in its turn.
 */
final class NarrowedIssuance {
  private NarrowedIssuance() {}

  /** Why {@code profile} may not be minted on for {@code approved}, or empty. */
  static Optional<StintException> unlessAsApproved(Profile profile, Narrowed approved) {
    return unlessAsApproved(profile, approved, Optional.empty());
  }

  /**
   * As {@link #unlessAsApproved(Profile, Narrowed)}, with {@code filledToday}, when given, the
   * approved values already filled into this profile on this policy snapshot: not filled again.
   */
  static Optional<StintException> unlessAsApproved(
      Profile profile, Narrowed approved, Optional<Narrowed> filledToday) {
    Optional<FilledDocument> today;
    try {
      today =
          filledToday.isPresent()
              ? filledToday.get().policy()
              : profile.narrowedPolicy(approved.values());
    } catch (IllegalArgumentException e) {
      return Optional.of(
          StintException.invalid(
              "profile '"
                  + profile.name()
                  + "' is narrowed by parameters this grant was not approved with ("
                  + e.getMessage()
                  + "); request it again with --param"));
    }
    Optional<String> now = today.map(FilledDocument::sha256);
    if (!now.equals(approved.policy().map(FilledDocument::sha256))) {
      return Optional.of(
          new StintException(
              ErrorCode.CONFLICT,
              "profile '"
                  + profile.name()
                  + "' changed since this grant was approved: its "
                  + (now.isPresent() ? "narrowed policy" : "narrowing")
                  + " is not the one approved; request it again to have the new one approved"));
    }
    return Optional.empty();
  }
}
