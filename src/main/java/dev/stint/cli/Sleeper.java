package dev.stint.cli;

import java.time.Duration;

/**
 * Waits between polls (the device-login flow). Injected with the {@link java.time.Clock} so tests
 * advance a test clock instead of really waiting.
 */
@FunctionalInterface
public interface Sleeper {
  /**
   * Really waits. A class, not a lambda: the cached {@code stint credentials} path builds a
   * CliEnvironment, and a lambda here would bootstrap invokedynamic on that path.
   */
  Sleeper REAL =
      new Sleeper() {
        @Override
        public void sleep(Duration duration) throws InterruptedException {
          Thread.sleep(duration.toMillis());
        }
      };

  void sleep(Duration duration) throws InterruptedException;
}
