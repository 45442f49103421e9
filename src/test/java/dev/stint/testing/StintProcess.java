package dev.stint.testing;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * {@code stint} run as a real child process on the test classpath, the way the launcher runs it:
 * exit codes, stdout/stderr and signals are the real ones.
 */
public final class StintProcess implements AutoCloseable {
  private static final String LISTENING = "stint listening on ";
  private final Process process;
  // Appended to by a reader thread, read as snapshots: a copy-on-write list would copy every
  // line so far for each new one, and a server logging thousands of lines a second (a bench)
  // would find its stdout pipe full and stall on it.
  private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
  private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
  private final Thread outReader;
  private final Thread errReader;

  private StintProcess(Process process, int keep) {
    this.process = process;
    this.outReader = pump(process.getInputStream(), stdout, keep);
    this.errReader = pump(process.getErrorStream(), stderr, keep);
  }

  /** Starts {@code stint ARGS} with exactly the given environment (plus PATH and HOME). */
  public static StintProcess start(Map<String, String> env, Path workDir, String... args)
      throws IOException {
    return start(List.of(), env, workDir, args);
  }

  /** As above, with options for the child's JVM (heap, collector) before the class name. */
  public static StintProcess start(
      List<String> jvmOptions, Map<String, String> env, Path workDir, String... args)
      throws IOException {
    return start(Integer.MAX_VALUE, jvmOptions, env, workDir, args);
  }

  /**
   * As above, keeping only about the last {@code keep} lines of each stream: a server under load
   * for minutes logs hundreds of thousands of lines, and holding them all would make this JVM (a
   * bench's, which also serves the fake STS) collect garbage it has no use for.
   */
  public static StintProcess start(
      int keep, List<String> jvmOptions, Map<String, String> env, Path workDir, String... args)
      throws IOException {
    return start(List.of(), keep, jvmOptions, env, workDir, args);
  }

  /**
   * As above, run by {@code launcher} (such as {@code taskset -c 1}, which gives the server cores
   * of its own); empty runs the JVM directly.
   */
  public static StintProcess start(
      List<String> launcher,
      int keep,
      List<String> jvmOptions,
      Map<String, String> env,
      Path workDir,
      String... args)
      throws IOException {
    List<String> command = new ArrayList<>(launcher);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    // Absolute, since the child runs in workDir (a bench may give a relative class path).
    String classPath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .map(e -> Path.of(e).toAbsolutePath().toString())
            .collect(Collectors.joining(File.pathSeparator));
    command.addAll(List.of("-cp", classPath, "dev.stint.app.Main"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    Map<String, String> childEnv = builder.environment();
    childEnv.keySet().removeIf(k -> k.startsWith("STINT_"));
    childEnv.putAll(env);
    return new StintProcess(builder.start(), keep);
  }

  private static Thread pump(InputStream in, List<String> lines, int keep) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  synchronized (lines) {
                    lines.add(line);
                    if (lines.size() > keep) {
                      // The older half at once: dropping one line per line read would shift them
                      // all.
                      lines.subList(0, lines.size() - keep / 2).clear();
                    }
                  }
                }
              } catch (IOException ignored) {
                // the process ended
              }
            });
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Waits for the process to end and returns its exit code, with all output read. */
  public int waitFor(Duration limit) throws InterruptedException {
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          "stint did not exit within " + limit + "; stdout=" + stdout() + " stderr=" + stderr());
    }
    outReader.join(5_000);
    errReader.join(5_000);
    return process.exitValue();
  }

  /** Waits until a stdout line matches, polling the lines read so far. */
  public String awaitStdout(Predicate<String> match, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : stdout()) {
        if (match.test(line)) {
          return line;
        }
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(50); // polling a child's output; there is no event to wait on
    }
    throw new AssertionError("no matching stdout line; stdout=" + stdout() + " stderr=" + stderr());
  }

  /** Sends SIGTERM. (Process.destroy would also close our end of its output pipes.) */
  public void terminate() {
    process.toHandle().destroy();
  }

  /**
   * Sends SIGKILL and waits for the process to be gone: no shutdown hook runs, in-flight work is
   * lost mid-way, and the kernel closes its sockets (Postgres ends its sessions and their locks).
   */
  public void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("stint survived SIGKILL for 30 s");
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The base URL from the server's "stint listening on URL" log line, once it is ready. */
  public URI listeningOn(Duration limit) throws InterruptedException {
    String line = awaitStdout(l -> message(l).startsWith(LISTENING), limit);
    return URI.create(message(line).substring(LISTENING.length()));
  }

  private static String message(String jsonLine) {
    try {
      return new JsonObject(jsonLine).getString("msg", "");
    } catch (RuntimeException notJson) {
      return "";
    }
  }

  /** The lines read so far, as a snapshot. */
  public List<String> stdout() {
    synchronized (stdout) {
      return List.copyOf(stdout);
    }
  }

  /** The lines read so far, as a snapshot. */
  public List<String> stderr() {
    synchronized (stderr) {
      return List.copyOf(stderr);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
