package dev.stint.signing;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;

/**
 * Reads one signing key file — PEM or private JWK JSON — and checks it is fit to sign: private, RSA
 * of at least 2048 bits (RS256) or EC on P-256 (ES256). The kid is the JWK's own {@code kid} when
 * it has one, else its RFC 7638 thumbprint.
 */
public final class SigningKeyFiles {
  static final int MIN_RSA_BITS = 2048;

  private SigningKeyFiles() {}

  public static SigningKey read(Path file) throws InvalidSigningKeyException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidSigningKeyException(
          file,
          "cannot be read ("
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage())
              + ")");
    }
    try {
      JWK parsed =
          text.stripLeading().startsWith("{") ? parseJwk(text) : PemKeys.parsePrivate(text);
      return toSigningKey(parsed, file);
    } catch (PemKeys.KeyProblem e) {
      throw new InvalidSigningKeyException(file, e.getMessage());
    }
  }

  /** Validates a key already in memory (a generated one, say) the same way as a file. */
  static SigningKey toSigningKey(JWK jwk, Path source) throws PemKeys.KeyProblem {
    if (!jwk.isPrivate()) {
      throw new PemKeys.KeyProblem("holds only a public key; the private key is needed");
    }
    JWSAlgorithm algorithm = algorithmFor(jwk);
    Algorithm declared = jwk.getAlgorithm();
    if (declared != null && !declared.getName().equals(algorithm.getName())) {
      throw new PemKeys.KeyProblem(
          "declares alg " + declared + " but stint signs this key type with " + algorithm);
    }
    if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
      throw new PemKeys.KeyProblem("declares use " + jwk.getKeyUse().identifier() + ", not sig");
    }
    String kid =
        jwk.getKeyID() != null && !jwk.getKeyID().isBlank() ? jwk.getKeyID() : thumbprint(jwk);
    JWK complete = withMetadata(jwk, kid, algorithm);
    return new SigningKey(kid, complete, algorithm, source);
  }

  private static JWK parseJwk(String text) throws PemKeys.KeyProblem {
    try {
      return JWK.parse(text);
    } catch (ParseException e) {
      // Nimbus's message may quote the JSON; keep only its first words out of caution.
      throw new PemKeys.KeyProblem(
          "is not a valid JWK ("
              + e.getMessage()
                  .lines()
                  .findFirst()
                  .map(m -> m.length() > 80 ? m.substring(0, 80) + "…" : m)
                  .orElse("parse error")
              + ")");
    }
  }

  private static JWSAlgorithm algorithmFor(JWK jwk) throws PemKeys.KeyProblem {
    if (jwk instanceof RSAKey rsa) {
      if (rsa.size() < MIN_RSA_BITS) {
        throw new PemKeys.KeyProblem(
            "RSA key of "
                + rsa.size()
                + " bits is too short; at least "
                + MIN_RSA_BITS
                + " bits are required");
      }
      return JWSAlgorithm.RS256;
    }
    if (jwk instanceof ECKey ec) {
      if (!Curve.P_256.equals(ec.getCurve())) {
        throw new PemKeys.KeyProblem(
            "unsupported curve " + ec.getCurve() + "; EC signing keys must use P-256 (ES256)");
      }
      return JWSAlgorithm.ES256;
    }
    throw new PemKeys.KeyProblem(
        "unsupported key type "
            + jwk.getKeyType()
            + "; use an RSA (2048 bits or more) or EC P-256 private key");
  }

  private static String thumbprint(JWK jwk) {
    try {
      return jwk.computeThumbprint().toString();
    } catch (JOSEException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  private static JWK withMetadata(JWK jwk, String kid, JWSAlgorithm alg) {
    if (jwk instanceof RSAKey rsa) {
      return new RSAKey.Builder(rsa).keyID(kid).algorithm(alg).keyUse(KeyUse.SIGNATURE).build();
    }
    ECKey ec = (ECKey) jwk;
    return new ECKey.Builder(ec).keyID(kid).algorithm(alg).keyUse(KeyUse.SIGNATURE).build();
  }
}
