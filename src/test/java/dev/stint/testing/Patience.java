package dev.stint.testing;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How long tests wait, in one place. A test's wait only bounds a failing test (a passing one goes
 * on the moment its condition holds), so every bound is taken generously: a host under a CPU hog,
 * or one half as fast as the one a bound was chosen on, must not fail a test that would pass given
 * time. The bounds a test names are multiplied by {@link #factor()}: 3 unless {@code
 * -Dstint.test.patience} or {@code STINT_TEST_PATIENCE} says otherwise.
 *
 * <p>The server's own deadlines are another matter: they are behaviour, and a component test that
 * is not about one gives the server {@link #SERVER_DEADLINES}, so that a commit a loaded host makes
 * slowly is not refused as if the database were gone. A test about a deadline sets its own and
 * makes the thing it waits for never answer, so that nothing depends on how fast the host is.
 */
public final class Patience {
  /** The server's deadlines in tests that are not about them: well inside each key's maximum. */
  public static final Map<String, String> SERVER_DEADLINES =
      Map.of(
          "STINT_AUDIT_TIMEOUT", "30s",
          "STINT_DATABASE_STATEMENT_TIMEOUT", "30s",
          "STINT_FACTS_TIMEOUT", "30s");

  /** The audit writer's deadline for one append, in component tests that are not about it. */
  public static final Duration AUDIT_COMMIT = Duration.ofSeconds(30);

  /** A fact source's lookup timeout in tests that are not about it: the most the server takes. */
  public static final Duration LOOKUP = Duration.ofSeconds(30);

  private static final int FACTOR = factorOf(System.getProperty("stint.test.patience"));

  private Patience() {}

  /** {@code bound} as long as this run waits for it. */
  public static Duration of(Duration bound) {
    return bound.multipliedBy(FACTOR);
  }

  /** {@code n} seconds as long as this run waits for them, in milliseconds. */
  public static long seconds(long n) {
    return of(Duration.ofSeconds(n)).toMillis();
  }

  /** {@code n} minutes as long as this run waits for them, in milliseconds. */
  public static long minutes(long n) {
    return of(Duration.ofMinutes(n)).toMillis();
  }

  /** What bounds are multiplied by. */
  public static int factor() {
    return FACTOR;
  }

  static int factorOf(String property) {
    String given =
        Optional.ofNullable(property).orElseGet(() -> System.getenv("STINT_TEST_PATIENCE"));
    if (given == null || given.isBlank()) {
      return 3;
    }
    int f = Integer.parseInt(given.trim());
    if (f < 1) {
      throw new IllegalArgumentException("stint.test.patience must be at least 1, not " + f);
    }
    return f;
  }
}
