package dev.stint.standin;

import java.util.Optional;

/**
 * What keeps a development page that acts without a credential (the demo's controls, the demo's CI
 * token endpoints) to the person at this machine: it answers only when asked for by its own
 * loopback address, so a page of another site that a browser loads through a name rebound to
 * 127.0.0.1 is refused ({@code 421}), and never to a form or script of another site ({@code Origin}
 * of another origin: {@code 403}). A caller without a browser (curl, the CLI) sends no {@code
 * Origin}.
 */
public final class LoopbackOnly {
  /** A refusal: the HTTP status and a sentence for the caller. */
  public record Refused(int status, String message) {}

  private LoopbackOnly() {}

  /**
   * The refusal of a call to the server on 127.0.0.1:{@code port} that named {@code authority}
   * ({@code host:port} as asked, or null when the call named none) and came with {@code origin}
   * (null when it sent none); empty when the call may go on.
   */
  public static Optional<Refused> refusal(int port, String authority, String origin) {
    String own = "127.0.0.1:" + port;
    if (authority == null || !own.equals(authority)) {
      return Optional.of(new Refused(421, "These pages answer only at " + own + "."));
    }
    if (origin != null && !origin.equals("http://" + own)) {
      return Optional.of(new Refused(403, "A page of another site may not use these pages."));
    }
    return Optional.empty();
  }
}
