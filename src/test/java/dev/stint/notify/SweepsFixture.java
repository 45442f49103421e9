package dev.stint.notify;

import dev.stint.access.Sweeps;
import io.vertx.core.Future;

/**
 * Test-only: a notifier that runs the sweeper's round itself, which only the server's timers (in
 * {@code app}) may. The architecture test checks that the port rule rejects it; the main check
 * never sees it.
 */
public final class SweepsFixture {
  private SweepsFixture() {}

  public static Future<Integer> sweep(Sweeps sweeps) {
    return sweeps.sweep();
  }
}
