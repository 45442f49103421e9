package dev.stint.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Waits for an outcome that something in the background produces (a revocation applied, a sweep, a
 * row a child process wrote), by looking again until it is there or the time is up. The one place
 * tests poll: the outcome has no event a test could wait on, and the time limit only bounds a
 * failing test, it never decides a passing one; it is stretched by {@link Patience}.
 */
public final class Eventually {
  private static final Duration POLL = Duration.ofMillis(50);

  private Eventually() {}

  /** The first present answer of {@code look}, or an AssertionError naming {@code what}. */
  public static <T> T get(String what, Duration within, Callable<Optional<T>> look)
      throws Exception {
    Duration patient = Patience.of(within);
    Instant deadline = Instant.now().plus(patient);
    while (true) {
      Optional<T> found = look.call();
      if (found.isPresent()) {
        return found.get();
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("waited " + patient.toSeconds() + " s for " + what);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** Returns once {@code holds} is true; fails naming {@code what} otherwise. */
  public static void until(String what, Duration within, Callable<Boolean> holds) throws Exception {
    get(what, within, () -> holds.call() ? Optional.of(true) : Optional.empty());
  }
}
