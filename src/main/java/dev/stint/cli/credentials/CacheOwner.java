package dev.stint.cli.credentials;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import dev.stint.common.Fingerprints;
import java.text.ParseException;
import java.util.Optional;

/**
 * Whose a cached credential is: the person (issuer, subject) its token named, kept as a SHA-256
 * fingerprint so neither the token nor the identity is written into the cache in clear. Not on the
 * cached fast path, which compares fingerprints and never computes one ({@link LoginMarker}).
 */
public final class CacheOwner {
  private CacheOwner() {}

  /** {@code sha256:} and the hex SHA-256 of issuer, a line feed, and subject. */
  public static String of(String issuer, String subject) {
    return Fingerprints.sha256(issuer + "\n" + subject);
  }

  /**
   * The owner of what this token is sent for: its {@code iss} and {@code sub}, read without
   * checking the signature (the server checks it before it mints anything). Empty for a token that
   * is not a JWT naming both: nothing minted with it is cached.
   */
  public static Optional<String> ofToken(String token) {
    try {
      JWTClaimsSet claims = JWTParser.parse(token).getJWTClaimsSet();
      String issuer = claims.getIssuer();
      String subject = claims.getSubject();
      if (issuer == null || issuer.isEmpty() || subject == null || subject.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(of(issuer, subject));
    } catch (ParseException e) {
      return Optional.empty();
    }
  }
}
