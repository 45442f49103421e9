package dev.stint.standin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How STS takes the token of an {@code AssumeRoleWithWebIdentity}: a signed JWT (never {@code alg:
 * none}) whose {@code iss} is an OIDC provider of the account, whose {@code aud} is one of that
 * provider's client ids, whose signature verifies with one of the provider's keys, that has a
 * {@code sub} and has not expired. A token that fails is {@code InvalidIdentityToken}; an expired
 * one {@code ExpiredTokenException}.
 */
final class WebIdentityTokens {
  static final String INVALID =
      "The web identity token that was passed could not be validated by AWS. Get a new identity"
          + " token from the identity provider and then retry the request.";
  static final String NO_KEY =
      "Couldn't retrieve verification key from your identity provider,  please reference"
          + " AssumeRoleWithWebIdentity documentation for requirements";

  private WebIdentityTokens() {}

  /** The token's claims, or why STS refuses it. */
  record Checked(JWTClaimsSet claims, Refusal refusal) {
    static Checked refused(String code, String message) {
      return new Checked(null, Refusal.sender(400, code, message));
    }
  }

  static Checked check(String token, Map<String, OidcProvider> providers, Instant now) {
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      JWT parsed = JWTParser.parse(token);
      if (!(parsed instanceof SignedJWT signed)) {
        return invalid(INVALID);
      }
      jwt = signed;
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return invalid(INVALID);
    }
    OidcProvider provider = claims.getIssuer() == null ? null : providers.get(claims.getIssuer());
    if (provider == null) {
      return invalid("No OpenIDConnect provider found in your account for " + claims.getIssuer());
    }
    List<String> audiences = claims.getAudience() == null ? List.of() : claims.getAudience();
    if (Collections.disjoint(audiences, provider.clientIds())) {
      return invalid("Incorrect token audience");
    }
    String unverified = unverified(jwt, provider);
    if (unverified != null) {
      return invalid(unverified);
    }
    if (claims.getSubject() == null) {
      return invalid(INVALID);
    }
    Instant expires =
        claims.getExpirationTime() == null ? null : claims.getExpirationTime().toInstant();
    if (expires == null || !now.isBefore(expires)) {
      return Checked.refused(
          "ExpiredTokenException",
          "Token expired: current date/time "
              + now.getEpochSecond()
              + " must be before the expiration date/time"
              + (expires == null ? "" : expires.getEpochSecond()));
    }
    return new Checked(claims, null);
  }

  /** Why the signature does not verify with the provider's keys, or null when it does. */
  private static String unverified(SignedJWT jwt, OidcProvider provider) {
    String kid = jwt.getHeader().getKeyID();
    List<JWK> keys = provider.keys().getKeys();
    Optional<JWK> key =
        kid != null
            ? Optional.ofNullable(provider.keys().getKeyByKeyId(kid))
            : keys.size() == 1 ? Optional.of(keys.get(0)) : Optional.empty();
    if (key.isEmpty()) {
      return NO_KEY;
    }
    try {
      JWSVerifier verifier =
          key.get() instanceof RSAKey rsa
              ? new RSASSAVerifier(rsa)
              : key.get() instanceof ECKey ec ? new ECDSAVerifier(ec) : null;
      return verifier != null && jwt.verify(verifier) ? null : INVALID;
    } catch (JOSEException e) {
      return INVALID; // an algorithm the key cannot check (an HS256 token, a key of another kind)
    }
  }

  private static Checked invalid(String message) {
    return Checked.refused("InvalidIdentityToken", message);
  }
}
