package dev.stint.identity;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A verified caller: who the token's issuer says it is. {@code issuerName} is the policy's name for
 * the issuer, {@code issuer} its exact URL ({@code iss}); {@code tokenId} is the {@code jti}.
 * {@code claims} are all the verified claims, JSON-shaped (numbers as Long or Double).
 */
public record Principal(
    String issuerName,
    String issuer,
    String subject,
    Optional<String> email,
    List<String> groups,
    Map<String, Object> claims,
    Instant tokenExpiresAt,
    Optional<String> tokenId) {

  public Principal {
    groups = List.copyOf(groups);
    claims = Map.copyOf(claims);
  }

  /** The person this token speaks for: its issuer's URL, subject and email. */
  public Person person() {
    return new Person(issuer, subject, email);
  }

  /** How to name this caller to people: the email when the token has one, else the subject. */
  public String display() {
    return person().display();
  }
}
