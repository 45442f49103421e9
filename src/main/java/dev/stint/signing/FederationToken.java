package dev.stint.signing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a stint-signed JWT says, apart from what the signer adds ({@code iss}, {@code iat}, {@code
 * nbf}, {@code exp}, {@code jti}). Callers: AWS web identity, GCP workload identity federation and
 * Azure client assertions.
 *
 * @param subject {@code sub}, e.g. {@code profile:aws-prod-admin} (what the cloud's trust matches)
 * @param audiences {@code aud}: one value is written as a string, several as an array
 * @param lifetime from now to {@code exp}; more than zero and at most {@link #MAX_LIFETIME}
 * @param claims extra claims (e.g. {@code grant_id}, {@code stint_principal}, {@code
 *     https://aws.amazon.com/tags}); values are strings, numbers, booleans, lists or maps
 */
public record FederationToken(
    String subject, List<String> audiences, Duration lifetime, Map<String, Object> claims) {

  public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
  public static final Duration MAX_LIFETIME = Duration.ofHours(1);

  /** Claims only the signer sets; a caller naming one is a programming error. */
  static final Set<String> RESERVED = Set.of("iss", "sub", "aud", "iat", "nbf", "exp", "jti");

  public FederationToken {
    if (subject == null || subject.isBlank()) {
      throw new IllegalArgumentException("a federation token needs a subject");
    }
    audiences = List.copyOf(audiences);
    if (audiences.isEmpty() || audiences.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException(
          "a federation token needs at least one non-blank audience");
    }
    if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_LIFETIME) > 0) {
      throw new IllegalArgumentException(
          "a federation token lives more than 0 s and at most 1h, not " + lifetime);
    }
    claims = Map.copyOf(claims);
    for (String name : claims.keySet()) {
      if (RESERVED.contains(name)) {
        throw new IllegalArgumentException(
            "claim " + name + " is set by the signer, not the caller");
      }
    }
  }

  /** One audience, the default lifetime (5 minutes), no extra claims. */
  public static FederationToken of(String subject, String audience) {
    return new FederationToken(subject, List.of(audience), DEFAULT_LIFETIME, Map.of());
  }

  public FederationToken withLifetime(Duration newLifetime) {
    return new FederationToken(subject, audiences, newLifetime, claims);
  }

  public FederationToken withClaims(Map<String, Object> extra) {
    return new FederationToken(subject, audiences, lifetime, extra);
  }
}
