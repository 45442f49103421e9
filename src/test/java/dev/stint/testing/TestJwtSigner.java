package dev.stint.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.stint.mint.aws.WebIdentityTokens;
import dev.stint.mint.azure.AzureAssertions;
import dev.stint.mint.gcp.GcpSubjectTokens;
import dev.stint.standin.OidcProvider;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A real RS256 signer standing in for stint's signing keys in minting tests: it signs Google
 * subject tokens and Entra client assertions the way stint's issuer does ({@code iss}, {@code aud},
 * {@code sub}, {@code iat}, {@code exp}, {@code jti}, extra claims), and publishes only its public
 * key as a JWKS, which is what a test verifies a received token against.
 */
public final class TestJwtSigner implements GcpSubjectTokens, AzureAssertions, WebIdentityTokens {
  public static final String ISSUER = "https://stint.test";
  private final RSAKey key;
  private final Clock clock;

  public TestJwtSigner(Clock clock) {
    this.clock = clock;
    this.key = RsaKeys.jwk("test-" + UUID.randomUUID());
  }

  @Override
  public String token(String audience, String subject, Map<String, Object> claims) {
    return sign(audience, subject, claims);
  }

  @Override
  public String assertion(String audience, String subject, Map<String, Object> claims) {
    return sign(audience, subject, claims);
  }

  /**
   * The IAM OIDC provider an AWS account would hold for this signer: its issuer, STS's audience as
   * client id, and its public key.
   */
  public OidcProvider awsProvider() {
    return new OidcProvider(ISSUER, Set.of("sts.amazonaws.com"), publicJwks());
  }

  /** The public half only, as stint serves it at {@code /.well-known/jwks.json}. */
  public JWKSet publicJwks() {
    return new JWKSet(key.toPublicJWK());
  }

  /**
   * Verifies {@code token}'s RS256 signature with the key its {@code kid} names in {@code jwks} and
   * returns its claims; throws {@link AssertionError} when the key is missing or the signature does
   * not verify.
   */
  public static JWTClaimsSet verify(String token, JWKSet jwks) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      JWK jwk = jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
      if (jwk == null || !JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
        throw new AssertionError("no RS256 key " + jwt.getHeader().getKeyID() + " in the JWKS");
      }
      if (!jwt.verify(new RSASSAVerifier(jwk.toRSAKey()))) {
        throw new AssertionError("signature does not verify against the JWKS");
      }
      return jwt.getJWTClaimsSet();
    } catch (ParseException | JOSEException e) {
      throw new AssertionError("not a verifiable JWT: " + e.getMessage(), e);
    }
  }

  private String sign(String audience, String subject, Map<String, Object> claims) {
    JWTClaimsSet.Builder set =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .audience(audience)
            .subject(subject)
            .issueTime(Date.from(clock.instant()))
            .expirationTime(Date.from(clock.instant().plus(Duration.ofMinutes(5))))
            .jwtID(UUID.randomUUID().toString());
    claims.forEach(set::claim);
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            set.build());
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }
}
