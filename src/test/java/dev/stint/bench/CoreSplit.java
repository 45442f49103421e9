package dev.stint.bench;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The host's cores split in two for {@code make bench-outside BENCH_APART=1}: the upper half for
 * the server alone, the lower half for everything that loads or serves it (this JVM with its
 * stand-ins, Postgres, wrk). On a shared host the server's tail mixes its own pauses with theirs;
 * apart, what is left is the server's.
 */
record CoreSplit(List<Integer> server, List<Integer> rest) {
  /** A split of {@code cores}, when there are at least two to split. */
  static Optional<CoreSplit> of(int cores) {
    if (cores < 2) {
      return Optional.empty();
    }
    int half = cores / 2;
    return Optional.of(
        new CoreSplit(
            IntStream.range(half, cores).boxed().toList(),
            IntStream.range(0, half).boxed().toList()));
  }

  /** The launcher that starts a process on the server's cores. */
  List<String> serverLauncher() {
    return List.of("taskset", "-c", list(server));
  }

  /**
   * Moves this JVM, every thread of it, to the other cores; the processes it starts from now on
   * (Postgres, wrk) start there too.
   */
  void moveThisJvmToTheRest() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "taskset",
                "-a",
                "-p",
                "-c",
                list(rest),
                Long.toString(ProcessHandle.current().pid()))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException("taskset failed: " + out);
    }
  }

  static String list(List<Integer> cores) {
    return cores.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  @Override
  public String toString() {
    return "server on cores " + list(server) + ", everything else on " + list(rest);
  }
}
