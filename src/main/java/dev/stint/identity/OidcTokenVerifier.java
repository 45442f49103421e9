package dev.stint.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import io.vertx.core.Future;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies OIDC ID/access tokens (JWS) from the trusted issuers with Nimbus. The order matters:
 * cheap structural refusals first, then the issuer (to know whose keys), then the signature, and
 * only then the claims, which are not trusted before the signature holds.
 */
public final class OidcTokenVerifier implements TokenVerifier {
  private static final Logger LOG = LoggerFactory.getLogger(OidcTokenVerifier.class);
  public static final int MAX_TOKEN_CHARS = 16 * 1024;

  /** How far a token's times may be off stint's clock: it is accepted until exp plus this. */
  public static final Duration SKEW = Duration.ofSeconds(60);

  static final String GENERIC = "invalid or untrusted token";

  private final Supplier<? extends Collection<? extends TrustedIssuer>> issuers;
  private final JwksCache keys;
  private final Clock clock;
  private final DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();

  /** Null when tokens are not remembered. */
  private final VerifiedTokens verified;

  /** {@code issuers} is read on every call: the policy in force decides whom to trust. */
  public OidcTokenVerifier(
      Supplier<? extends Collection<? extends TrustedIssuer>> issuers,
      JwksCache keys,
      Clock clock) {
    this(issuers, keys, clock, true);
  }

  /**
   * @param remember whether tokens that verified are remembered for a while ({@link
   *     VerifiedTokens}); off only to measure the full verification in the benchmark
   */
  public OidcTokenVerifier(
      Supplier<? extends Collection<? extends TrustedIssuer>> issuers,
      JwksCache keys,
      Clock clock,
      boolean remember) {
    this.issuers = issuers;
    this.keys = keys;
    this.clock = clock;
    this.verified = remember ? new VerifiedTokens() : null;
  }

  private record Candidate(SignedJWT jwt, JWTClaimsSet claims, TrustedIssuer issuer) {}

  @Override
  public Future<Principal> verify(String token) {
    if (verified != null && token != null && token.length() <= MAX_TOKEN_CHARS) {
      Optional<Principal> seen = verified.find(token, issuers.get(), clock.instant());
      if (seen.isPresent()) {
        return Future.succeededFuture(seen.get());
      }
    }
    Candidate c;
    try {
      c = inspect(token);
    } catch (TokenRefused e) {
      return refuse(e, null);
    } catch (RuntimeException e) {
      // Nimbus parses attacker-chosen JSON; shapes it does not expect (a header that is JSON
      // null, say) surface as NullPointerException or ClassCastException, not ParseException.
      // Whatever the parser trips on, the token is refused as malformed, never a 500.
      return refuse(new TokenRefused("malformed token: " + e.getClass().getSimpleName()), null);
    }
    Optional<String> kid = Optional.ofNullable(c.jwt().getHeader().getKeyID());
    return keys.keys(c.issuer(), kid)
        .map(
            set -> {
              Principal p = accept(c, set);
              if (verified != null) {
                Instant exp = c.claims().getExpirationTime().toInstant();
                verified.remember(token, p, c.issuer(), exp.plus(SKEW), clock.instant());
              }
              return p;
            })
        .recover(e -> refuse(e, c.issuer()));
  }

  private Candidate inspect(String token) {
    if (token == null || token.isBlank()) {
      throw new TokenRefused("empty token");
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      throw new TokenRefused("token larger than 16 KiB (" + token.length() + " characters)");
    }
    JWT jwt;
    try {
      jwt = JWTParser.parse(token);
    } catch (ParseException e) {
      throw new TokenRefused("malformed token: " + e.getMessage());
    } catch (RuntimeException e) {
      // e.g. a header that is valid JSON but not an object ("null"): Nimbus 10.10 dereferences
      // it without checking and throws NullPointerException.
      throw new TokenRefused("malformed token header: not a JSON object");
    }
    if (jwt instanceof PlainJWT) {
      throw new TokenRefused("unsigned token (alg none)");
    }
    if (!(jwt instanceof SignedJWT signed)) {
      throw new TokenRefused("encrypted tokens are not accepted");
    }
    checkHeader(signed.getHeader());
    JWTClaimsSet claims;
    try {
      claims = signed.getJWTClaimsSet();
    } catch (ParseException | RuntimeException e) {
      throw new TokenRefused("malformed claims: " + e.getMessage());
    }
    String iss = claims.getIssuer();
    TrustedIssuer issuer =
        issuers.get().stream()
            .filter(i -> i.issuerUrl().equals(iss))
            .findFirst()
            .orElseThrow(() -> new TokenRefused("untrusted issuer '" + clip(iss) + "'"));
    JWSAlgorithm jwsAlg = signed.getHeader().getAlgorithm();
    String alg = jwsAlg.getName();
    // Symmetric algorithms are never acceptable, whatever an issuer's list says: the "secret"
    // would be the issuer's public key (the classic key-confusion forgery).
    if (JWSAlgorithm.Family.HMAC_SHA.contains(jwsAlg) || !issuer.algorithms().contains(alg)) {
      throw new TokenRefused("algorithm " + alg + " is not allowed for issuer " + issuer.name());
    }
    return new Candidate(signed, claims, issuer);
  }

  /** A token must not choose its own key or demand extensions stint does not implement. */
  private static void checkHeader(JWSHeader h) {
    if (h.getCriticalParams() != null && !h.getCriticalParams().isEmpty()) {
      throw new TokenRefused("crit header " + h.getCriticalParams() + " is not supported");
    }
    if (h.getJWK() != null
        || h.getJWKURL() != null
        || h.getX509CertURL() != null
        || h.getX509CertChain() != null) {
      throw new TokenRefused("token names its own key (jwk/jku/x5u/x5c header)");
    }
  }

  private Principal accept(Candidate c, JWKSet set) {
    verifySignature(c, set);
    checkClaims(c.claims(), c.issuer());
    return Principals.fromClaims(c.issuer(), c.claims().toJSONObject());
  }

  private void verifySignature(Candidate c, JWKSet set) {
    JWSHeader header = c.jwt().getHeader();
    JWSAlgorithm alg = header.getAlgorithm();
    JWKMatcher.Builder matcher =
        new JWKMatcher.Builder()
            .keyType(KeyType.forAlgorithm(alg))
            .keyUses(KeyUse.SIGNATURE, null)
            .algorithms(alg, null);
    if (header.getKeyID() != null) {
      matcher.keyID(header.getKeyID());
    }
    List<JWK> candidates = new JWKSelector(matcher.build()).select(set);
    if (candidates.isEmpty()) {
      throw new TokenRefused(
          "no "
              + alg
              + " key with kid '"
              + header.getKeyID()
              + "' from issuer "
              + c.issuer().name());
    }
    for (JWK key : candidates) {
      try {
        JWSVerifier verifier =
            verifiers.createJWSVerifier(header, ((AsymmetricJWK) key).toPublicKey());
        if (c.jwt().verify(verifier)) {
          return;
        }
      } catch (JOSEException | ClassCastException e) {
        LOG.debug("key {} cannot verify: {}", key.getKeyID(), e.getMessage());
      }
    }
    throw new TokenRefused(
        "signature does not verify with the keys of issuer " + c.issuer().name());
  }

  private void checkClaims(JWTClaimsSet claims, TrustedIssuer issuer) {
    Instant now = clock.instant();
    Instant exp =
        instant(claims.getExpirationTime()).orElseThrow(() -> new TokenRefused("token has no exp"));
    Optional<Instant> nbf = instant(claims.getNotBeforeTime());
    Optional<Instant> iat = instant(claims.getIssueTime());
    if (!now.isBefore(exp.plus(SKEW))) {
      throw new TokenRefused("token expired at " + exp);
    }
    if (nbf.isPresent() && now.plus(SKEW).isBefore(nbf.get())) {
      throw new TokenRefused("token not valid before " + nbf.get());
    }
    if (iat.isPresent() && now.plus(SKEW).isBefore(iat.get())) {
      throw new TokenRefused("token issued in the future (" + iat.get() + ")");
    }
    Instant start = iat.or(() -> nbf).orElse(now);
    if (Duration.between(start, exp).compareTo(issuer.maxTokenLifetime()) > 0) {
      throw new TokenRefused(
          "token lifetime exceeds max_token_lifetime of issuer " + issuer.name());
    }
    List<String> audience = claims.getAudience();
    if (audience == null || !audience.contains(issuer.audience())) {
      throw new TokenRefused(
          "audience " + audience + " does not contain '" + issuer.audience() + "'");
    }
    if (claims.getSubject() == null || claims.getSubject().isBlank()) {
      throw new TokenRefused("token has no sub");
    }
  }

  /** How many verified tokens are remembered now (for tests). */
  int remembered() {
    return verified == null ? 0 : verified.size();
  }

  /** Issuer values come from unverified input: keep log lines short. */
  private static String clip(String s) {
    return s == null || s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }

  private static Optional<Instant> instant(Date d) {
    return Optional.ofNullable(d).map(Date::toInstant);
  }

  private static Future<Principal> refuse(Throwable e, TrustedIssuer issuer) {
    String reason =
        e instanceof TokenRefused ? e.getMessage() : "signing keys unavailable: " + e.getMessage();
    var event = LOG.atWarn();
    if (issuer != null) {
      event = event.addKeyValue("issuer", issuer.name());
    }
    event.log("token refused: {}", reason);
    return Future.failedFuture(new StintException(ErrorCode.UNAUTHENTICATED, GENERIC));
  }
}
