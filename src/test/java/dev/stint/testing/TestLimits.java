package dev.stint.testing;

import dev.stint.config.ConfigLoader;
import dev.stint.config.StintConfig;
import dev.stint.http.ConnectionGuard;
import java.util.Map;
import java.util.Optional;

/** The shipped HTTP limits, for tests that assemble the HTTP stack themselves. */
public final class TestLimits {
  private TestLimits() {}

  public static StintConfig.HttpConfig defaults() {
    return ConfigLoader.load(Optional.empty(), Map.of()).http();
  }

  public static ConnectionGuard guard() {
    return ConnectionGuard.of(defaults());
  }
}
