package dev.stint.policy;

import dev.stint.identity.IssuerUse;
import dev.stint.identity.TrustedIssuer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One trusted identity provider ({@code issuers:} entry). {@code issuerUrl} is the exact {@code
 * iss}; {@code audience} is mandatory; {@code algorithms} defaults to RS256 and ES256 and {@code
 * maxTokenLifetime} to 24h. {@code declaredUse} is the file's {@code use:}; {@code uses} is what is
 * in force: the declared use, or by default CI only for an issuer that a CI rule names and people
 * only for any other (see PolicyLoader).
 */
public record IssuerConfig(
    String name,
    String issuerUrl,
    String audience,
    String groupsClaim,
    List<String> algorithms,
    Duration maxTokenLifetime,
    Optional<Set<IssuerUse>> declaredUse,
    Set<IssuerUse> uses)
    implements TrustedIssuer {

  public static final List<String> DEFAULT_ALGORITHMS = List.of("RS256", "ES256");
  public static final Duration DEFAULT_MAX_TOKEN_LIFETIME = Duration.ofHours(24);
  public static final String DEFAULT_GROUPS_CLAIM = "groups";

  public IssuerConfig {
    algorithms = List.copyOf(algorithms);
    declaredUse = declaredUse.map(Set::copyOf);
    uses = Set.copyOf(uses);
  }

  /** An issuer for people's tokens, outside any policy file (tests and benchmarks). */
  public static IssuerConfig forPeople(
      String name,
      String issuerUrl,
      String audience,
      String groupsClaim,
      List<String> algorithms,
      Duration maxTokenLifetime) {
    return new IssuerConfig(
        name,
        issuerUrl,
        audience,
        groupsClaim,
        algorithms,
        maxTokenLifetime,
        Optional.empty(),
        Set.of(IssuerUse.PEOPLE));
  }

  /** The same issuer with the uses the whole policy settles on. */
  IssuerConfig withUses(Set<IssuerUse> inForce) {
    return new IssuerConfig(
        name, issuerUrl, audience, groupsClaim, algorithms, maxTokenLifetime, declaredUse, inForce);
  }
}
