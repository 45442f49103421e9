package dev.stint.demo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authorization codes of the development IdP: random, single use, short-lived, and bound to the
 * client, redirect URI and PKCE S256 challenge of the sign-in that produced them (RFC 7636).
 */
final class AuthorizationCodes {
  static final Duration LIFETIME = Duration.ofMinutes(2);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What a code was issued for. */
  record CodeGrant(
      DevUser user,
      String clientId,
      String redirectUri,
      String challenge,
      Optional<String> nonce,
      Instant expires) {}

  /** Why a code exchange is refused (an RFC 6749 {@code invalid_grant}). */
  static final class Refused extends Exception {
    Refused(String reason) {
      super(reason);
    }
  }

  private final Map<String, CodeGrant> codes = new ConcurrentHashMap<>();
  private final Clock clock;

  AuthorizationCodes(Clock clock) {
    this.clock = clock;
  }

  String issue(
      DevUser user, String clientId, String redirectUri, String challenge, Optional<String> nonce) {
    Instant now = clock.instant();
    codes.values().removeIf(g -> g.expires().isBefore(now));
    String code = random();
    codes.put(
        code, new CodeGrant(user, clientId, redirectUri, challenge, nonce, now.plus(LIFETIME)));
    return code;
  }

  /** Redeems a code once: removed first, so a replay fails even when this exchange does. */
  CodeGrant redeem(String code, String clientId, String redirectUri, String verifier)
      throws Refused {
    CodeGrant grant = code == null ? null : codes.remove(code);
    if (grant == null) {
      throw new Refused("unknown or already used code");
    }
    if (grant.expires().isBefore(clock.instant())) {
      throw new Refused("code expired");
    }
    if (!grant.clientId().equals(clientId)) {
      throw new Refused("code was issued to another client");
    }
    if (!grant.redirectUri().equals(redirectUri)) {
      throw new Refused("redirect_uri differs from the sign-in's");
    }
    if (verifier == null
        || !MessageDigest.isEqual(
            s256(verifier).getBytes(StandardCharsets.US_ASCII),
            grant.challenge().getBytes(StandardCharsets.US_ASCII))) {
      throw new Refused("code_verifier does not match the code_challenge");
    }
    return grant;
  }

  static String s256(String verifier) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
