package dev.stint.mint.gcp;

import java.time.Duration;
import java.util.Objects;

/**
 * The longest lifetime Google allows a service account's tokens: one hour unless the organization
 * policy {@code constraints/iam.allowServiceAccountCredentialLifetimeExtension} allows up to 12
 * hours. The minter is handed a lifetime already capped by the request, the profile and the grant's
 * end, and caps it further by this alone.
 */
public record GoogleMax(Duration max) {
  /** Google's default longest access-token lifetime. */
  public static final GoogleMax DEFAULT = new GoogleMax(Duration.ofHours(1));

  /** The longest Google ever issues, with the lifetime extension allowed. */
  public static final GoogleMax EXTENDED = new GoogleMax(Duration.ofHours(12));

  public GoogleMax {
    Objects.requireNonNull(max, "max");
    if (max.compareTo(Duration.ofHours(12)) > 0 || max.getSeconds() < 1) {
      throw new IllegalArgumentException("googleMax must be between 1 s and 12 h");
    }
  }

  /** Whole seconds of {@code lifetime}, at most this; zero or less when there is no time left. */
  long cappedSeconds(Duration lifetime) {
    return Math.min(lifetime.getSeconds(), max.getSeconds());
  }
}
