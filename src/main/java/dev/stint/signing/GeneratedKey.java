package dev.stint.signing;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A freshly generated signing key: its PKCS#8 PEM (the secret, to be written 0600 and nowhere else)
 * and the validated key it parses back to.
 */
public record GeneratedKey(String pem, SigningKey key) {
  private static final Logger LOG = LoggerFactory.getLogger(GeneratedKey.class);

  /** Generates a key and proves the PEM reads back through the same path as a key file. */
  public static GeneratedKey generate(KeyType type, int rsaBits, Path destination) {
    String pem = PemKeys.toPkcs8Pem(type.generate(rsaBits).getPrivate());
    try {
      return new GeneratedKey(
          pem, SigningKeyFiles.toSigningKey(PemKeys.parsePrivate(pem), destination));
    } catch (PemKeys.KeyProblem e) {
      throw new IllegalStateException("a generated key did not read back: " + e.getMessage(), e);
    }
  }

  /**
   * The RSA-2048 key in {@code file}, generated into it first (0600) when there is none, so it
   * survives restarts. Never replaces a file: another process creating it meanwhile wins.
   */
  static SigningKeys loadOrCreate(Path file, String purpose) throws InvalidSigningKeyException {
    if (!Files.exists(file)) {
      GeneratedKey generated = generate(KeyType.RSA, 2048, file);
      try {
        PrivateKeyFile.write(file, generated.pem(), false);
        LOG.info("generated a {} key in {}", purpose, file);
      } catch (FileAlreadyExistsException e) {
        // Another process created it between our check and our write: use theirs.
      } catch (IOException e) {
        throw new InvalidSigningKeyException(
            file, "could not be created (" + e.getMessage() + ")", e);
      }
    }
    return SigningKeys.load(List.of(file));
  }

  @Override
  public String toString() {
    return "GeneratedKey[" + key + "]";
  }
}
