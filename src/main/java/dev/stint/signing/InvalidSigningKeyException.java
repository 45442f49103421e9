package dev.stint.signing;

import java.nio.file.Path;

/**
 * A signing key file cannot be used. The message names the file and the reason in one line and
 * never carries key material.
 */
public final class InvalidSigningKeyException extends Exception {
  public InvalidSigningKeyException(Path file, String reason) {
    super("signing key " + file + ": " + reason);
  }

  public InvalidSigningKeyException(Path file, String reason, Throwable cause) {
    super("signing key " + file + ": " + reason, cause);
  }
}
