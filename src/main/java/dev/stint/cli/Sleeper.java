package dev.stint.cli;

import java.time.Duration;

/**
 * Waits between polls (the device-login flow). Injected with the {@link java.time.Clock} so tests
 * advance a test clock instead of really waiting.
 */
@FunctionalInterface
public interface Sleeper {
  Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}
