package dev.stint.mint;

import dev.stint.policy.Profile;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One credential to mint: the profile, what it is issued under, whose it is ({@code holder} a
 * name for people reading the cloud's logs; {@code issuer} and {@code subject} the identity), the
 * capped {@code lifetime}, and the {@code hardEnd} it must not outlive (the grant's end, or the
 * CI rule's).
 */
public record MintOrder(
    Profile profile,
    IssuedUnder under,
    String holder,
    String issuer,
    String subject,
    Duration lifetime,
    Instant hardEnd) {

  public MintOrder {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(under, "under");
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(hardEnd, "hardEnd");
    if (lifetime.isZero() || lifetime.isNegative()) {
      throw new IllegalArgumentException("lifetime must be positive, got " + lifetime);
    }
  }
}
