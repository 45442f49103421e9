package dev.stint.cli;

import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What a command may use from the outside world: environment variables, the user's config and cache
 * directories, the clock (and the sleeper that goes with it), the output streams and the person at
 * the keyboard ({@link Prompter}). Tests build one with a temporary home.
 */
public record CliEnvironment(
    Map<String, String> env,
    Path home,
    Clock clock,
    PrintStream out,
    PrintStream err,
    Sleeper sleeper,
    Prompter prompter) {

  public CliEnvironment {
    env = Map.copyOf(env);
  }

  /** With the real sleeper: for commands and tests that never wait. */
  public CliEnvironment(
      Map<String, String> env, Path home, Clock clock, PrintStream out, PrintStream err) {
    this(env, home, clock, out, err, Sleeper.REAL);
  }

  /** Asking on the terminal: for commands and tests that never ask. */
  public CliEnvironment(
      Map<String, String> env,
      Path home,
      Clock clock,
      PrintStream out,
      PrintStream err,
      Sleeper sleeper) {
    this(env, home, clock, out, err, sleeper, new TerminalPrompter(env));
  }

  public static CliEnvironment system() {
    Map<String, String> env = System.getenv();
    return new CliEnvironment(
        env,
        home(env, System.getProperty("os.name", ""), System.getProperty("user.home")),
        Clock.systemUTC(),
        System.out,
        System.err);
  }

  /**
   * The one place the CLI finds home ({@code ~}) for every file it reads or writes, as the AWS CLI,
   * ssh and git do: {@code $HOME} ({@code %USERPROFILE%} on Windows) when it is set to an absolute
   * path, else the account's home ({@code user.home}, from the passwd entry). A {@code HOME}
   * pointed elsewhere (CI runners, {@code sudo -E}, containers, Nix shells) is the one that counts:
   * the AWS CLI reads {@code $HOME/.aws/config}. No lambdas: this runs on the cached path.
   */
  public static Path home(Map<String, String> env, String osName, String accountHome) {
    String variable = osName.startsWith("Windows") ? "USERPROFILE" : "HOME";
    String set = env.get(variable);
    if (set != null && !set.isBlank()) {
      try {
        Path path = Path.of(set);
        if (path.isAbsolute()) {
          return path;
        }
      } catch (InvalidPathException e) {
        // Not a path on this system: the account's home, as for a relative one.
      }
    }
    return Path.of(accountHome);
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
