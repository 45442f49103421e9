package dev.stint.cli.login;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import dev.stint.cli.CliException;
import java.text.ParseException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * An ID token as the CLI sees it: decoded, not signature-checked. The CLI receives it straight from
 * the token endpoint over TLS (OIDC Core §3.1.3.7 allows TLS in place of the signature there), and
 * the stint server verifies the signature on every request. The CLI still checks issuer, audience,
 * expiry and nonce, so a token from the wrong provider or login is refused. {@link #toString()}
 * never shows the token.
 */
record IdToken(String raw, Map<String, Object> claims, Instant expiresAt) {

  static IdToken decode(String raw) {
    try {
      JWT jwt = JWTParser.parse(raw);
      JWTClaimsSet set = jwt.getJWTClaimsSet();
      if (set.getExpirationTime() == null) {
        throw invalid("it has no exp claim");
      }
      return new IdToken(raw, set.toJSONObject(), set.getExpirationTime().toInstant());
    } catch (ParseException e) {
      throw invalid("it is not a JWT");
    }
  }

  /** Checks what binds the token to this login; {@code nonce} is empty when none was sent. */
  IdToken verify(String issuer, String clientId, Optional<String> nonce) {
    if (!stripSlash(string("iss")).equals(stripSlash(issuer))) {
      throw invalid("it was issued by '" + string("iss") + "', not " + issuer);
    }
    Object aud = claims.get("aud");
    boolean audienceOk =
        aud instanceof String s
            ? s.equals(clientId)
            : aud instanceof Iterable<?> list && contains(list, clientId);
    if (!audienceOk) {
      throw invalid("its audience is not the client id " + clientId);
    }
    if (nonce.isPresent() && !nonce.get().equals(string("nonce"))) {
      throw invalid("its nonce does not match this login (a replayed or injected token)");
    }
    if (string("sub").isEmpty()) {
      throw invalid("it has no subject");
    }
    return this;
  }

  String string(String claim) {
    Object value = claims.get(claim);
    return value == null ? "" : value.toString();
  }

  String subject() {
    return string("sub");
  }

  @Override
  public String toString() {
    return "IdToken[sub=" + subject() + ", exp=" + expiresAt + "]";
  }

  private static boolean contains(Iterable<?> list, String value) {
    for (Object o : list) {
      if (value.equals(o)) {
        return true;
      }
    }
    return false;
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static CliException invalid(String why) {
    return new CliException(
        CliException.FAILED, "the identity provider's ID token was refused: " + why);
  }
}
