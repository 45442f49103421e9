package dev.stint.cli;

import java.util.Optional;

/**
 * A command failed for a reason one line explains; printed as {@code stint: <message>} on stderr
 * with the exit code. The message must never contain a secret.
 */
public final class CliException extends RuntimeException {
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  /** The server refused: unauthenticated, forbidden, approval pending and the like. */
  public static final int REFUSED = 3;

  /** The server could not be reached or failed. */
  public static final int UNAVAILABLE = 4;

  private final int exitCode;
  private final String serverCode;

  public CliException(int exitCode, String message) {
    this(exitCode, message, (String) null);
  }

  /** A refusal the server answered with its stable error {@code code} (docs/api.md). */
  public CliException(int exitCode, String message, String serverCode) {
    super(message);
    this.exitCode = exitCode;
    this.serverCode = serverCode;
  }

  public CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
    this.serverCode = null;
  }

  /** The server's error code, when the server answered with one. */
  public Optional<String> serverCode() {
    return Optional.ofNullable(serverCode);
  }

  public int exitCode() {
    return exitCode;
  }
}
