package dev.stint.mint;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The one place a credential's lifetime is decided (ARCHITECTURE §7): the shortest of what the
 * caller asked for, the profile's maximum, the profile's token maximum, the time left on the grant
 * and the cloud's own maximum, raised to the cloud's minimum. Pure: no clock, no I/O.
 */
public final class Lifetimes {
  private Lifetimes() {}

  /**
   * What the caller and the policy allow; {@code requested} empty means "as long as allowed".
   * {@code tokenMax} is the profile's {@code max_token_lifetime}, for tokens a revoke cannot end.
   */
  public record Allowed(
      Optional<Duration> requested,
      Duration profileMax,
      Instant grantEndsAt,
      Optional<Duration> tokenMax) {
    /** Without a token maximum of the profile's own. */
    public Allowed(Optional<Duration> requested, Duration profileMax, Instant grantEndsAt) {
      this(requested, profileMax, grantEndsAt, Optional.empty());
    }
  }

  /** A cloud's limits on one credential's lifetime. */
  public record CloudLimits(Duration min, Duration max) {
    /** STS: 15 minutes to 12 hours (the role's own MaxSessionDuration may be lower). */
    public static final CloudLimits AWS =
        new CloudLimits(Duration.ofMinutes(15), Duration.ofHours(12));

    /** Google's default ceiling for generateAccessToken. */
    public static final CloudLimits GCP =
        new CloudLimits(Duration.ofSeconds(1), Duration.ofHours(1));

    /**
     * Entra fixes a token's lifetime itself and takes no duration: capping only proves the grant
     * has not ended; the minter checks the token against the hard end.
     */
    public static final CloudLimits AZURE =
        new CloudLimits(Duration.ofSeconds(1), Duration.ofDays(1));
  }

  /**
   * The capped lifetime. {@code raisedToFloor} says the cloud's minimum exceeded what the grant
   * allows, so the credential outlives the grant unless something else stops it (for AWS, the
   * deny-after session policy does).
   */
  public record Lifetime(Duration duration, boolean raisedToFloor) {}

  /**
   * Caps the lifetime at {@code now}.
   *
   * @throws MintException (forbidden) when the grant has already ended
   * @throws IllegalArgumentException when a requested or maximum duration is not positive
   */
  public static Lifetime cap(Allowed ask, CloudLimits cloud, Instant now) {
    ask.requested().ifPresent(r -> requirePositive(r, "requested duration"));
    requirePositive(ask.profileMax(), "profile max_duration");
    ask.tokenMax().ifPresent(t -> requirePositive(t, "profile max_token_lifetime"));
    Duration left = Duration.between(now, ask.grantEndsAt());
    if (left.isZero() || left.isNegative()) {
      throw MintException.grantEnded();
    }
    Duration effective = min(min(ask.profileMax(), left), cloud.max());
    if (ask.requested().isPresent()) {
      effective = min(effective, ask.requested().get());
    }
    if (ask.tokenMax().isPresent()) {
      effective = min(effective, ask.tokenMax().get());
    }
    // Clouds count whole seconds; rounding down never lets a credential outlive the grant.
    effective = Duration.ofSeconds(effective.getSeconds());
    if (effective.compareTo(cloud.min()) < 0) {
      return new Lifetime(cloud.min(), left.compareTo(cloud.min()) < 0);
    }
    return new Lifetime(effective, false);
  }

  /**
   * The latest a credential minted at {@code now} may end: the grant's end, or sooner the profile's
   * token maximum from now. For a cloud that fixes the lifetime itself (Entra) this is what the
   * minted token is held against, since nothing can be asked of the cloud.
   */
  public static Instant latestEnd(Allowed ask, Instant now) {
    if (ask.tokenMax().isEmpty()) {
      return ask.grantEndsAt();
    }
    Instant capped = now.plus(ask.tokenMax().get());
    return capped.isBefore(ask.grantEndsAt()) ? capped : ask.grantEndsAt();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static void requirePositive(Duration d, String what) {
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
  }
}
