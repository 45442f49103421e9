package dev.stint.notify.slack;

import java.io.IOException;

/**
 * Why no Socket Mode connection could be had, in words that name no address and no token; and what
 * of any failure on the socket may be logged.
 */
final class SocketRefusal extends IOException {
  private static final long serialVersionUID = 1L;

  SocketRefusal(String message) {
    super(message);
  }

  /** Stint's own refusals in full; of anything else, the class only: never a URL or a token. */
  static String safe(Throwable e) {
    return e instanceof SocketRefusal ? e.getMessage() : e.getClass().getSimpleName();
  }
}
