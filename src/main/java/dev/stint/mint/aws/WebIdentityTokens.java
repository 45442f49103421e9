package dev.stint.mint.aws;

import java.util.Map;

/**
 * Signs the short-lived JWT stint presents to {@code AssumeRoleWithWebIdentity}, as stint's own
 * OIDC issuer (keys published at {@code /.well-known/jwks.json}). Implemented by the signing-key
 * component; blocking is fine (it runs on the minting executor).
 */
@FunctionalInterface
public interface WebIdentityTokens {
  /** A signed compact JWT with {@code aud}, {@code sub} and the extra claims. */
  String token(String audience, String subject, Map<String, Object> claims);
}
