package dev.stint.identity;

import dev.stint.common.Fingerprints;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens that verified in the last minute, so that a client sending the same token again (every
 * {@code credential_process} call, every poll of a CI job) is not put through RS256 and claim
 * parsing each time: that was one of the largest costs of an issuance at load (docs/design.md,
 * "Figures behind choices in the code").
 *
 * <p>What this does not change: only the exact bytes of a token that passed every check are
 * remembered (by SHA-256, never the token itself); refused tokens are never remembered, so a
 * forgery always takes the full path. A remembered token is used only until it expires (with the
 * same skew as a fresh check), only while the issuer it was verified against is still trusted with
 * the same settings, and for at most {@link #TTL} — far less than the JWKS refresh interval, so a
 * key the issuer withdraws stops counting no later than it would have anyway.
 */
final class VerifiedTokens {
  static final Duration TTL = Duration.ofSeconds(60);
  static final int MAX_ENTRIES = 10_000;

  private record Entry(
      Principal principal, TrustedIssuer issuer, Instant expires, Instant verifiedAt) {}

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  /** The principal of a token verified earlier, if it may still be used at {@code now}. */
  Optional<Principal> find(String token, Collection<? extends TrustedIssuer> trusted, Instant now) {
    String key = key(token);
    Entry e = entries.get(key);
    if (e == null) {
      return Optional.empty();
    }
    if (!now.isBefore(e.expires())
        || !now.isBefore(e.verifiedAt().plus(TTL))
        || now.isBefore(e.verifiedAt())
        || !trusted.contains(e.issuer())) {
      entries.remove(key, e);
      return Optional.empty();
    }
    return Optional.of(e.principal());
  }

  /**
   * Remembers a token that has just passed every check. {@code usableUntil} is the instant a fresh
   * check would start refusing it (its exp plus the allowed skew).
   */
  void remember(
      String token, Principal principal, TrustedIssuer issuer, Instant usableUntil, Instant now) {
    if (entries.size() >= MAX_ENTRIES) {
      entries
          .values()
          .removeIf(e -> !now.isBefore(e.expires()) || !now.isBefore(e.verifiedAt().plus(TTL)));
      if (entries.size() >= MAX_ENTRIES) {
        entries.clear(); // a flood of distinct valid tokens: start over rather than grow
      }
    }
    entries.put(key(token), new Entry(principal, issuer, usableUntil, now));
  }

  int size() {
    return entries.size();
  }

  private static String key(String token) {
    return Fingerprints.sha256(token);
  }
}
