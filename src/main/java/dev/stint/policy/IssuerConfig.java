package dev.stint.policy;

import dev.stint.identity.TrustedIssuer;
import java.time.Duration;
import java.util.List;

/**
 * One trusted identity provider ({@code issuers:} entry). {@code issuerUrl} is the exact
 * {@code iss}; {@code audience} is mandatory; {@code algorithms} defaults to RS256 and ES256 and
 * {@code maxTokenLifetime} to 24h.
 */
public record IssuerConfig(
    String name,
    String issuerUrl,
    String audience,
    String groupsClaim,
    List<String> algorithms,
    Duration maxTokenLifetime) implements TrustedIssuer {

  public static final List<String> DEFAULT_ALGORITHMS = List.of("RS256", "ES256");
  public static final Duration DEFAULT_MAX_TOKEN_LIFETIME = Duration.ofHours(24);
  public static final String DEFAULT_GROUPS_CLAIM = "groups";

  public IssuerConfig {
    algorithms = List.copyOf(algorithms);
  }
}
