package dev.stint.signing;

import java.nio.file.Path;

/**
 * A freshly generated signing key: its PKCS#8 PEM (the secret, to be written 0600 and nowhere
 * else) and the validated key it parses back to.
 */
public record GeneratedKey(String pem, SigningKey key) {

  /** Generates a key and proves the PEM reads back through the same path as a key file. */
  public static GeneratedKey generate(KeyType type, int rsaBits, Path destination) {
    String pem = PemKeys.toPkcs8Pem(type.generate(rsaBits).getPrivate());
    try {
      return new GeneratedKey(pem, SigningKeyFiles.toSigningKey(PemKeys.parsePrivate(pem), destination));
    } catch (PemKeys.KeyProblem e) {
      throw new IllegalStateException("a generated key did not read back: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "GeneratedKey[" + key + "]";
  }
}
