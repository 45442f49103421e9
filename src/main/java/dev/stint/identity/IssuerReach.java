package dev.stint.identity;

import java.time.Instant;
import java.util.Optional;

/**
 * What the fetches of one issuer's signing keys have come to since boot: when its keys were last
 * fetched, and the failure of the attempts since then, if any. Held keys keep verifying while an
 * issuer is down ({@link JwksCache}), so an issuer fetched once still signs people in; one never
 * fetched signs nobody in.
 */
public record IssuerReach(
    Optional<Instant> fetchedAt, Optional<Instant> failedAt, Optional<String> failure) {

  /** Not asked yet: no fetch has finished. */
  public static final IssuerReach UNTRIED =
      new IssuerReach(Optional.empty(), Optional.empty(), Optional.empty());

  /** Whether stint holds keys of this issuer, fetched at some point since boot. */
  public boolean held() {
    return fetchedAt.isPresent();
  }

  /** Whether the last attempt failed (keys may still be held from an earlier one). */
  public boolean failing() {
    return failedAt.isPresent();
  }
}
