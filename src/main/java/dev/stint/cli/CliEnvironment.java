package dev.stint.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What a command may use from the outside world: environment variables, the user's config and cache
 * directories, the clock (and the sleeper that goes with it) and the output streams. Tests build
 * one with a temporary home.
 */
public record CliEnvironment(
    Map<String, String> env,
    Path home,
    Clock clock,
    PrintStream out,
    PrintStream err,
    Sleeper sleeper) {

  public CliEnvironment {
    env = Map.copyOf(env);
  }

  /** With the real sleeper: for commands and tests that never wait. */
  public CliEnvironment(
      Map<String, String> env, Path home, Clock clock, PrintStream out, PrintStream err) {
    this(env, home, clock, out, err, Sleeper.REAL);
  }

  public static CliEnvironment system() {
    return new CliEnvironment(
        System.getenv(),
        Path.of(System.getProperty("user.home")),
        Clock.systemUTC(),
        System.out,
        System.err);
  }

  public Optional<String> get(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  /**
   * {@code $XDG_CONFIG_HOME/stint}, else {@code ~/.config/stint}: tokens live here, and the marker
   * of who is logged in. No lambdas: the marker is read on the cached path (see {@link
   * #cacheDir()}).
   */
  public Path configDir() {
    Optional<String> xdg = get("XDG_CONFIG_HOME");
    return (xdg.isPresent() ? Path.of(xdg.get()) : home.resolve(".config")).resolve("stint");
  }

  /**
   * {@code $XDG_CACHE_HOME/stint}, else {@code ~/.cache/stint}: cached credentials live here. No
   * lambdas: this runs on the cached {@code credentials} path, where bootstrapping them costs
   * milliseconds.
   */
  public Path cacheDir() {
    Optional<String> xdg = get("XDG_CACHE_HOME");
    return (xdg.isPresent() ? Path.of(xdg.get()) : home.resolve(".cache")).resolve("stint");
  }
}
