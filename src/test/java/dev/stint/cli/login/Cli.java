package dev.stint.cli.login;

import dev.stint.app.Main;
import dev.stint.cli.CliEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the real command tree in-process like {@code CliRun}, but with a test clock/sleeper and with
 * stderr watched as it is written, so a test can act on a URL while the command waits.
 */
final class Cli {
  private static final Pattern URL = Pattern.compile("^\\s+(http\\S+)$", Pattern.MULTILINE);

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final StderrWatch err = new StderrWatch();
  private final CliEnvironment env;

  Cli(Path home, Map<String, String> vars, TestClock clock) {
    env =
        new CliEnvironment(
            vars,
            home,
            clock,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            clock);
  }

  int run(String... args) {
    return Main.run(env, args);
  }

  CompletableFuture<Integer> start(String... args) {
    return CompletableFuture.supplyAsync(() -> run(args));
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.text();
  }

  /** Completes {@link #url} with the first indented URL line the command prints. */
  static final class StderrWatch extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final CompletableFuture<String> url = new CompletableFuture<>();

    @Override
    public synchronized void write(int b) {
      bytes.write(b);
      if (b == '\n' && !url.isDone()) {
        Matcher m = URL.matcher(text());
        if (m.find()) {
          url.complete(m.group(1));
        }
      }
    }

    synchronized String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }
}
