package dev.stint.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * stint as an OIDC issuer: signs federation tokens with the active key (the first configured), so
 * clouds that trust stint's issuer (AWS web identity, GCP workload identity federation, Azure
 * federated credentials) verify them against {@code /.well-known/jwks.json}. Thread-safe.
 */
public final class TokenSigner {
  private final String issuer;
  private final SigningKey key;
  private final JWSSigner signer;
  private final Clock clock;

  public TokenSigner(URI publicUrl, SigningKeys keys, Clock clock) {
    this.issuer = Issuer.of(publicUrl);
    this.key = keys.active();
    this.signer = key.signer();
    this.clock = clock;
  }

  /** The {@code iss} of every token, which the clouds' trust configuration must name exactly. */
  public String issuer() {
    return issuer;
  }

  /** The kid of the key that signs. */
  public String activeKid() {
    return key.kid();
  }

  /**
   * A federation token for one audience with the default lifetime: what AWS web identity, GCP
   * workload identity and Azure client assertions all ask for.
   */
  public String sign(String audience, String subject, Map<String, Object> claims) {
    return sign(
        new FederationToken(subject, List.of(audience), FederationToken.DEFAULT_LIFETIME, claims));
  }

  /** A compact, signed JWT; iat = nbf = now (whole seconds), exp = now + lifetime, a new jti. */
  public String sign(FederationToken token) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject(token.subject())
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(token.lifetime())))
            .jwtID(UUID.randomUUID().toString());
    // Nimbus writes a one-element list as a plain string, which is what AWS STS expects.
    claims.audience(token.audiences());
    token.claims().forEach(claims::claim);
    JWSHeader header =
        new JWSHeader.Builder(key.algorithm()).keyID(key.kid()).type(JOSEObjectType.JWT).build();
    SignedJWT jwt = new SignedJWT(header, claims.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new StintException(ErrorCode.INTERNAL, "could not sign a federation token", e);
    }
    return jwt.serialize();
  }
}
