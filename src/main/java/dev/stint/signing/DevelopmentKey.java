package dev.stint.signing;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key used when {@code signing_keys} is not configured: an RSA-2048 key generated once into
 * {@code data_dir/signing-key.pem} (0600) and reused on every restart, so tokens and cached JWKS
 * stay valid across restarts of a development server.
 */
public final class DevelopmentKey {
  public static final String FILE_NAME = "signing-key.pem";
  private static final Logger LOG = LoggerFactory.getLogger(DevelopmentKey.class);

  private DevelopmentKey() {}

  /** Loads the development key, generating it first when it does not exist yet. */
  public static SigningKeys loadOrCreate(Path dataDir) throws InvalidSigningKeyException {
    Path file = dataDir.resolve(FILE_NAME);
    SigningKeys keys = GeneratedKey.loadOrCreate(file, "development signing");
    LOG.warn(
        "signing_keys is not set: using the development signing key {} (kid {}); "
            + "configure signing_keys for production",
        file,
        keys.active().kid());
    return keys;
  }
}
