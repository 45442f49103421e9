package dev.stint.mint.gcp;

import dev.stint.mint.IssuedUnder;
import java.time.Duration;
import java.util.Objects;

/**
 * One token to mint: for which account, for which grant and person (they go into the subject
 * token's claims in workload identity mode, and into the log), and for how long. The caller has
 * already capped {@code lifetime} by the request, the profile and the grant's end; the minter only
 * caps it further by {@code googleMax}, the longest lifetime Google allows this service account:
 * one hour unless the organization policy {@code
 * constraints/iam.allowServiceAccountCredentialLifetimeExtension} allows up to 12 hours.
 */
public record GcpMintRequest(
    GcpAccount account,
    IssuedUnder under,
    String profile,
    String person,
    Duration lifetime,
    Duration googleMax) {
  /** Google's default longest access-token lifetime. */
  public static final Duration GOOGLE_DEFAULT_MAX = Duration.ofHours(1);

  /** The longest Google ever issues, with the lifetime extension allowed. */
  public static final Duration GOOGLE_EXTENDED_MAX = Duration.ofHours(12);

  public GcpMintRequest {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(under, "under");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(person, "person");
    Objects.requireNonNull(lifetime, "lifetime");
    Objects.requireNonNull(googleMax, "googleMax");
    if (googleMax.compareTo(GOOGLE_EXTENDED_MAX) > 0 || googleMax.getSeconds() < 1) {
      throw new IllegalArgumentException("googleMax must be between 1 s and 12 h");
    }
  }

  /** A request under Google's default one-hour limit. */
  public GcpMintRequest(
      GcpAccount account, IssuedUnder under, String profile, String person, Duration lifetime) {
    this(account, under, profile, person, lifetime, GOOGLE_DEFAULT_MAX);
  }

  /** Whole seconds, at most {@code googleMax}; zero or less when there is no time left. */
  long cappedSeconds() {
    return Math.min(lifetime.getSeconds(), googleMax.getSeconds());
  }
}
