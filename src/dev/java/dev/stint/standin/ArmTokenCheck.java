package dev.stint.standin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.stint.standin.RestServer.Reply;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * DEVELOPMENT AND TEST ONLY: Azure Resource Manager's check of an Entra access token, each refusal
 * a 401 with ARM's code and message. The token must be a JWT Entra signed (RS256, with the key its
 * {@code kid} names among those Entra publishes), for this endpoint, valid now, from the
 * subscriptions' tenant, naming an object id and a reader app the stand-in knows.
 */
final class ArmTokenCheck {
  /** How ARM writes a time in its messages: .NET's default, in UTC. */
  private static final DateTimeFormatter ARM_TIME =
      DateTimeFormatter.ofPattern("M/d/yyyy h:mm:ss a", Locale.US).withZone(ZoneOffset.UTC);

  private static final String INVALID = "The access token is invalid.";

  private final Clock clock;
  private final String tenant;
  private final JWKSet entraKeys;
  private final Supplier<URI> endpoint;
  private final Predicate<String> knownReader;

  /**
   * Tokens of Entra tenant {@code tenant}, signed with one of {@code entraKeys}, for the {@code
   * endpoint} (known once the server listens), from an app {@code knownReader} accepts.
   */
  ArmTokenCheck(
      Clock clock,
      String tenant,
      JWKSet entraKeys,
      Supplier<URI> endpoint,
      Predicate<String> knownReader) {
    this.clock = clock;
    this.tenant = tenant;
    this.entraKeys = entraKeys.toPublicJWKSet();
    this.endpoint = endpoint;
    this.knownReader = knownReader;
  }

  /** The reader app a bearer token is from, or ARM's refusal of it. */
  record Bearer(String appId, Reply refusal) {
    static Bearer refused(String code, String message) {
      return new Bearer(null, ArmErrors.error(401, code, message));
    }
  }

  /** The audience a reader's token must be for: this endpoint, as Entra names a resource. */
  String audience() {
    return endpoint.get() + "/";
  }

  /** The {@code Authorization} header's token as ARM takes it. */
  Bearer bearer(String authorization) {
    if (!authorization.startsWith("Bearer ")) {
      return Bearer.refused("InvalidAuthenticationToken", INVALID);
    }
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(authorization.substring("Bearer ".length()).strip());
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException | RuntimeException e) {
      return Bearer.refused("InvalidAuthenticationToken", INVALID);
    }
    if (!signedByEntra(jwt)) {
      return Bearer.refused("InvalidAuthenticationToken", INVALID);
    }
    return accepted(claims);
  }

  /** The claims of a token Entra signed, as ARM takes them: in order, as it checks them. */
  private Bearer accepted(JWTClaimsSet claims) {
    URI uri = endpoint.get();
    List<String> audiences = claims.getAudience() == null ? List.of() : claims.getAudience();
    if (audiences.size() != 1
        || !(audiences.get(0).equals(audience()) || audiences.get(0).equals(uri.toString()))) {
      return Bearer.refused(
          "InvalidAuthenticationTokenAudience",
          "The access token has been obtained for wrong audience or resource '"
              + String.join(",", audiences)
              + "'. It should exactly match with one of the allowed audiences '"
              + audience()
              + "','"
              + uri
              + "'.");
    }
    Instant now = clock.instant();
    Date expires = claims.getExpirationTime();
    if (expires == null || !now.isBefore(expires.toInstant())) {
      return Bearer.refused(
          "ExpiredAuthenticationToken",
          "The access token expiry UTC time '"
              + (expires == null ? "" : ARM_TIME.format(expires.toInstant()))
              + "' is earlier than current UTC time '"
              + ARM_TIME.format(now)
              + "'.");
    }
    Date notBefore = claims.getNotBeforeTime();
    if (notBefore != null && now.isBefore(notBefore.toInstant())) {
      return Bearer.refused("InvalidAuthenticationToken", INVALID);
    }
    String issuer = "https://sts.windows.net/" + tenant + "/";
    if (!issuer.equals(claims.getIssuer()) || !tenant.equals(claim(claims, "tid"))) {
      return wrongTenant(claims.getIssuer(), issuer);
    }
    if (claim(claims, "oid") == null
        && claim(claims, "puid") == null
        && claim(claims, "altsecid") == null) {
      return Bearer.refused(
          "InvalidAuthenticationToken",
          "The received access token is not valid: at least one of the claims 'puid' or"
              + " 'altsecid' or 'oid' should be present. If you are accessing as application"
              + " please make sure service principal is properly created in the tenant.");
    }
    String appId = claim(claims, "appid");
    boolean known = appId != null && knownReader.test(appId);
    return known ? new Bearer(appId, null) : Bearer.refused("InvalidAuthenticationToken", INVALID);
  }

  private Bearer wrongTenant(String presented, String issuer) {
    return Bearer.refused(
        "InvalidAuthenticationTokenTenant",
        "The access token is from the wrong issuer '"
            + presented
            + "'. It must match the tenant '"
            + issuer
            + "' associated with this subscription. Please use the authority (URL)"
            + " 'https://login.windows.net/"
            + tenant
            + "' to get the token. Note, if the subscription is transferred to another tenant"
            + " there is no impact to the services, but information about new tenant could"
            + " take time to propagate (up to an hour). If you just transferred your"
            + " subscription and see this error message, please try back later.");
  }

  /** Whether the token's RS256 signature verifies with the Entra key its {@code kid} names. */
  private boolean signedByEntra(SignedJWT jwt) {
    if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
      return false;
    }
    String kid = jwt.getHeader().getKeyID();
    JWK key = kid == null ? null : entraKeys.getKeyByKeyId(kid);
    try {
      return key instanceof RSAKey rsa && jwt.verify(new RSASSAVerifier(rsa));
    } catch (JOSEException e) {
      return false;
    }
  }

  private static String claim(JWTClaimsSet claims, String name) {
    Object value = claims.getClaim(name);
    return value instanceof String s ? s : null;
  }
}
