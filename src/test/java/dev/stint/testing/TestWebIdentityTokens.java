package dev.stint.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.stint.mint.aws.WebIdentityTokens;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

/**
 * A real RS256 signer for web-identity tests (stint's own signer is wired in by the server): it
 * signs what STS would receive and verifies what a fake received.
 */
public final class TestWebIdentityTokens implements WebIdentityTokens {
  public static final String ISSUER = "https://stint.test";
  private final RSAKey key;
  private final Clock clock;

  public TestWebIdentityTokens(Clock clock) {
    this.clock = clock;
    try {
      this.key = new RSAKeyGenerator(2048).keyID("test-" + UUID.randomUUID()).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String token(String audience, String subject, Map<String, Object> claims) {
    JWTClaimsSet.Builder set = new JWTClaimsSet.Builder()
        .issuer(ISSUER).audience(audience).subject(subject)
        .issueTime(Date.from(clock.instant()))
        .expirationTime(Date.from(clock.instant().plus(Duration.ofMinutes(5))))
        .jwtID(UUID.randomUUID().toString());
    claims.forEach(set::claim);
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
        .keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), set.build());
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  /** Verifies the signature with this signer's public key and returns the claims. */
  public JWTClaimsSet verify(String token) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!jwt.verify(new RSASSAVerifier(key.toRSAPublicKey()))) {
        throw new AssertionError("token signature does not verify");
      }
      return jwt.getJWTClaimsSet();
    } catch (ParseException | JOSEException e) {
      throw new AssertionError("not a signed JWT: " + e.getMessage(), e);
    }
  }
}
