package dev.stint.web;

import dev.stint.identity.IssuerUse;
import dev.stint.identity.TrustedIssuer;
import dev.stint.policy.IssuerConfig;
import dev.stint.policy.Policy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The policy's web issuer as token verification sees it: the same issuer, keys and rules as for API
 * tokens, except that an ID token for the web pages is addressed to the web client.
 */
record WebIssuer(IssuerConfig base, String clientId, List<String> scopes) implements TrustedIssuer {

  /** The web issuer of {@code policy}, when it has a {@code web:} block. */
  static Optional<WebIssuer> of(Policy policy) {
    return policy
        .web()
        .flatMap(
            w ->
                policy.issuer(w.issuerName()).map(i -> new WebIssuer(i, w.clientId(), w.scopes())));
  }

  @Override
  public String name() {
    return base.name();
  }

  @Override
  public String issuerUrl() {
    return base.issuerUrl();
  }

  @Override
  public String audience() {
    return clientId;
  }

  @Override
  public String groupsClaim() {
    return base.groupsClaim();
  }

  @Override
  public List<String> algorithms() {
    return base.algorithms();
  }

  @Override
  public Duration maxTokenLifetime() {
    return base.maxTokenLifetime();
  }

  @Override
  public Set<IssuerUse> uses() {
    return base.uses();
  }
}
