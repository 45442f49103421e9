package dev.stint.extension;

import io.vertx.core.Future;

/** The timers' round of extensions. */
public interface ExtensionSweeps {
  /** Expires pending extensions whose grant was revoked or has ended; answers how many. */
  Future<Integer> sweep();
}
