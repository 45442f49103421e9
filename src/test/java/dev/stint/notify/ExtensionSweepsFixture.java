package dev.stint.notify;

import dev.stint.extension.ExtensionSweeps;
import io.vertx.core.Future;

/**
 * Test-only: a notifier that runs extensions' sweep itself, which only the server's timers (in
 * {@code app}) may. The architecture test checks that the port rule rejects it; the main check
 * never sees it.
 */
public final class ExtensionSweepsFixture {
  private ExtensionSweepsFixture() {}

  public static Future<Integer> sweep(ExtensionSweeps sweeps) {
    return sweeps.sweep();
  }
}
