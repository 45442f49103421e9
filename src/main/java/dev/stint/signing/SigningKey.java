package dev.stint.signing;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import java.nio.file.Path;

/**
 * One of the issuer's keys: its key id, the private JWK (with {@code kid}, {@code use=sig} and
 * {@code alg} set), the algorithm it signs with, and the file it came from.
 */
public record SigningKey(String kid, JWK privateJwk, JWSAlgorithm algorithm, Path source) {

  public SigningKey {
    if (!privateJwk.isPrivate()) {
      throw new IllegalArgumentException("a signing key needs its private part");
    }
  }

  /** The public half, as published in the JWKS: no {@code d}, {@code p}, {@code q}, … */
  public JWK publicJwk() {
    return privateJwk.toPublicJWK();
  }

  /** Never prints the key itself: records would otherwise print the private JWK. */
  @Override
  public String toString() {
    return "SigningKey[kid=" + kid + ", alg=" + algorithm + ", source=" + source + "]";
  }
}
