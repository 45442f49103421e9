package dev.stint.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.LocalTools;
import dev.stint.testing.Patience;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/stint demo --port 0} as a person starts it (the launcher, the built jar, a HOME of its
 * own and none of the caller's stint, XDG or AWS settings), its walkthrough read line by line, and
 * shell scripts made of the lines it printed, run in the same clean environment.
 */
final class DemoProcess implements AutoCloseable {
  static final String LAST_LINE = "Ctrl-C stops the demo";

  private final Path home;
  private final Process demo;
  private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
  private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());

  /** What a script printed, and how it ended. */
  record Run(int exitCode, String out, String err) {}

  private DemoProcess(Path home, Process demo) {
    this.home = home;
    this.demo = demo;
  }

  /** Starts the demo and waits (at most two minutes) for its walkthrough's last line. */
  static DemoProcess start(Path home) throws Exception {
    assertThat(Path.of("target/stint.jar")).as("built by mvn package").exists();
    ProcessBuilder builder = new ProcessBuilder("bin/stint", "demo", "--port", "0");
    clean(builder.environment(), home);
    DemoProcess process = new DemoProcess(home, builder.start());
    CountDownLatch printed = new CountDownLatch(1);
    pump(process.demo.getInputStream(), process.stdout, printed);
    pump(process.demo.getErrorStream(), process.stderr, new CountDownLatch(1));
    assertThat(printed.await(Patience.minutes(2), TimeUnit.MILLISECONDS))
        .as("no walkthrough in time: %s", process.stderr)
        .isTrue();
    assertThat(process.stdout())
        .as("the demo ended early: %s", process.stderr)
        .anyMatch(l -> l.startsWith(LAST_LINE));
    return process;
  }

  /** Only {@code home} as HOME, and nothing of the caller's stint, XDG or AWS settings. */
  static void clean(Map<String, String> env, Path home) {
    env.keySet()
        .removeIf(
            k ->
                k.startsWith("STINT_")
                    || k.startsWith("XDG_")
                    || k.startsWith("AWS_")
                    || k.startsWith("ACTIONS_")
                    || k.startsWith("GITHUB_"));
    env.put("HOME", home.toString());
    env.put("AWS_EC2_METADATA_DISABLED", "true");
  }

  /**
   * The walkthrough's first line that starts (after its indent) with {@code start}, its trailing
   * comment removed.
   */
  String printed(String start) {
    return stdout().stream()
        .map(String::strip)
        .filter(l -> l.startsWith(start))
        .map(l -> l.replaceFirst("\\s+# .*$", ""))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line starting " + start + " in " + stdout));
  }

  /** Every line printed that starts (after its indent) with {@code start}, in order. */
  List<String> allPrinted(String start) {
    return stdout().stream()
        .map(String::strip)
        .filter(l -> l.startsWith(start))
        .map(l -> l.replaceFirst("\\s+# .*$", ""))
        .toList();
  }

  /** The demo's standard output so far, line by line. */
  List<String> stdout() {
    return List.copyOf(stdout);
  }

  /** The demo's standard error so far, line by line. */
  List<String> stderr() {
    return List.copyOf(stderr);
  }

  /**
   * A PATH of {@code /usr/bin:/bin} behind a bin folder in HOME that holds the AWS CLI v2 under the
   * name the walkthrough calls it by (skips the test without it).
   */
  synchronized String pathWithAwsCli() throws IOException {
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path aws = bin.resolve("aws");
    if (!Files.exists(aws, LinkOption.NOFOLLOW_LINKS)) {
      Files.createSymbolicLink(aws, LocalTools.awsCli());
    }
    return bin + ":/usr/bin:/bin";
  }

  /**
   * {@code lines} run by {@code sh} from the checkout, in the clean environment with {@code path}
   * as PATH and {@code extra} added; at most 90 seconds.
   */
  Run sh(String path, Map<String, String> extra, String... lines) throws Exception {
    Path err = Files.createTempFile(home, "sh", ".err");
    ProcessBuilder shell = shell(path, extra, lines).redirectError(err.toFile());
    return run(shell, Duration.ofSeconds(90), err);
  }

  /**
   * As {@link #sh}, but the script's errors go into {@link Run#out} with its output, in the order
   * written ({@link Run#err} is empty); at most {@code within}.
   */
  Run shErrorsInOut(Duration within, String path, Map<String, String> extra, String... lines)
      throws Exception {
    return run(shell(path, extra, lines).redirectErrorStream(true), within, null);
  }

  /**
   * {@code lines} started by {@code sh} as {@link #shErrorsInOut} runs them, without waiting: for a
   * script that waits on a person while the test acts as one.
   */
  Process started(String path, Map<String, String> extra, String... lines) throws IOException {
    return shell(path, extra, lines).redirectErrorStream(true).start();
  }

  private ProcessBuilder shell(String path, Map<String, String> extra, String... lines) {
    ProcessBuilder shell = new ProcessBuilder("sh", "-c", String.join("\n", lines));
    clean(shell.environment(), home);
    shell.environment().put("PATH", path);
    shell.environment().putAll(extra);
    return shell;
  }

  /** Runs {@code shell}; its errors are read from {@code err}, unless null. */
  private static Run run(ProcessBuilder shell, Duration within, Path err) throws Exception {
    Process run = shell.start();
    String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(run.waitFor(within.toSeconds(), TimeUnit.SECONDS)).as("the script ended").isTrue();
    return new Run(run.exitValue(), out, err == null ? "" : Files.readString(err));
  }

  /**
   * Collects {@code stream}'s lines; {@code done} counts down at the walkthrough's last line, or
   * when the stream ends without it.
   */
  private static void pump(InputStream stream, List<String> lines, CountDownLatch done) {
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                  if (line.startsWith(LAST_LINE)) {
                    done.countDown();
                  }
                }
              } catch (IOException e) {
                // the process ended
              } finally {
                done.countDown();
              }
            });
    reader.setDaemon(true);
    reader.start();
  }

  /** SIGTERM, as Ctrl-C: the demo deletes its directory. */
  @Override
  public void close() throws Exception {
    demo.destroy();
    assertThat(demo.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }
}
