package dev.stint.testing;

import dev.stint.app.Main;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.Prompter;
import dev.stint.cli.Sleeper;
import dev.stint.cli.TerminalPrompter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** Runs the real command tree in-process with a test environment and captured output. */
public record CliRun(int exitCode, String out, String err) {

  public static CliRun run(Path home, Map<String, String> env, String... args) {
    return run(home, env, Clock.systemUTC(), args);
  }

  public static CliRun run(Path home, Map<String, String> env, Clock clock, String... args) {
    return run(home, env, new TerminalPrompter(env), args, clock);
  }

  /** With {@code prompter} as the person at the keyboard. */
  public static CliRun run(Path home, Map<String, String> env, Prompter prompter, String... args) {
    return run(home, env, prompter, args, Clock.systemUTC());
  }

  private static CliRun run(
      Path home, Map<String, String> env, Prompter prompter, String[] args, Clock clock) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CliEnvironment cli =
        new CliEnvironment(
            env,
            home,
            clock,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Sleeper.REAL,
            prompter);
    int code = Main.run(cli, args);
    return new CliRun(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
