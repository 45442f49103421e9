package dev.stint.mint;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One credential to mint: the profile's name and its target in the cloud's terms, what it is issued
 * under, whose it is ({@code holder} a name for people reading the cloud's logs; {@code issuer} and
 * {@code subject} the identity), the capped {@code lifetime}, and the {@code hardEnd} it must not
 * outlive (the grant's end, or the CI rule's; sooner when the profile caps its tokens: {@link
 * Lifetimes#latestEnd}).
 */
public record MintOrder(
    String profile,
    MintTarget target,
    IssuedUnder under,
    String holder,
    String issuer,
    String subject,
    Duration lifetime,
    Instant hardEnd) {

  public MintOrder {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(target, "target");
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
