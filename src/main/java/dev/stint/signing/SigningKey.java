package dev.stint.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
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

  /** A signer over the private key, for tokens and audit checkpoints alike. */
  public JWSSigner signer() {
    try {
      if (privateJwk instanceof RSAKey rsa) {
        return new RSASSASigner(rsa);
      }
      return new ECDSASigner((ECKey) privateJwk);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("key " + kid + " cannot sign: " + e.getMessage(), e);
    }
  }

  /** Never prints the key itself: records would otherwise print the private JWK. */
  @Override
  public String toString() {
    return "SigningKey[kid=" + kid + ", alg=" + algorithm + ", source=" + source + "]";
  }
}
