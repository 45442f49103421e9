package dev.stint.identity;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What token verification needs to know about one trusted issuer. The policy's issuer entries
 * implement it, so identity never depends on the policy model.
 */
public interface TrustedIssuer {
  /** The policy's name for the issuer ({@code corp}, {@code github}). */
  String name();

  /** The exact {@code iss} value; discovery is fetched below it. */
  String issuerUrl();

  /** The value the token's {@code aud} must contain. Never empty: no audience = no trust. */
  String audience();

  /** The claim that carries the caller's groups. */
  String groupsClaim();

  /** The JWS algorithms accepted from this issuer (asymmetric only). */
  List<String> algorithms();

  /** Tokens valid for longer than this (from iat/nbf to exp) are refused. */
  Duration maxTokenLifetime();

  /** What its tokens may be used for: people's endpoints, CI exchange, or both. */
  Set<IssuerUse> uses();
}
