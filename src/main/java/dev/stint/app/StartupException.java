package dev.stint.app;

/** Start-up failed for a reason that one line explains (printed as {@code stint: <message>}). */
public final class StartupException extends RuntimeException {
  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }

  public StartupException(String message) {
    super(message);
  }
}
