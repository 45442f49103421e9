package dev.stint.demo;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The development IdP's ID tokens (and the development CI issuer's job tokens, each with a key of
 * its own): RS256 with a key generated when the server starts and never written anywhere, so a
 * demo's tokens die with the demo.
 */
final class DevTokens {
  static final Duration LIFETIME = Duration.ofHours(1);

  private final RSAKey key;
  private final Clock clock;

  DevTokens(Clock clock) {
    this.clock = clock;
    try {
      this.key =
          new RSAKeyGenerator(2048)
              .keyID("dev-" + UUID.randomUUID())
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(JWSAlgorithm.RS256)
              .generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate the development IdP's RSA key", e);
    }
  }

  /** The public half only: {@code {"keys":[...]}}. */
  String jwks() {
    return new JWKSet(key.toPublicJWK()).toString();
  }

  /**
   * An ID token for {@code user}, issued to {@code clientId}. The audience also names {@code
   * apiAudience}, the audience stint's issuer config expects, as an IdP configured to issue tokens
   * for an API does; {@code nonce} is echoed when the sign-in sent one.
   */
  String idToken(
      URI issuer, DevUser user, String clientId, String apiAudience, Optional<String> nonce) {
    Instant now = clock.instant();
    List<String> audience = new ArrayList<>(List.of(clientId));
    if (!apiAudience.equals(clientId)) {
      audience.add(apiAudience);
    }
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer.toString())
            .subject(user.login())
            .audience(audience)
            .claim("azp", clientId)
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(LIFETIME)))
            .claim("auth_time", now.getEpochSecond())
            .claim("email", user.email())
            .claim("email_verified", true)
            .claim("name", user.name())
            .claim("preferred_username", user.login())
            .claim("groups", user.groups())
            .jwtID(UUID.randomUUID().toString());
    nonce.ifPresent(n -> claims.claim("nonce", n));
    return sign(claims.build());
  }

  /** {@code claims} signed with this key (RS256, its key id in the header), serialized. */
  String sign(JWTClaimsSet claims) {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims);
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a development token", e);
    }
    return jwt.serialize();
  }
}
