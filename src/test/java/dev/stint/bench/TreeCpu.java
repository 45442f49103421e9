package dev.stint.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The CPU time used by process trees: this bench's JVM (the servers and the load run in it) and a
 * Postgres server's (its postmaster is not this JVM's child: it is started detached), with their
 * backends and the autovacuum workers they have reaped, read from Linux's {@code /proc}. Unlike a
 * rate, what one call costs in CPU does not move with what else the host runs, so a cost measured
 * this way holds on a shared host.
 */
final class TreeCpu {
  /** The kernel's clock ticks per second, in which {@code /proc/PID/stat} counts CPU time. */
  private final long ticksPerSecond;

  private final List<ProcessHandle> roots;

  private TreeCpu(long ticksPerSecond, List<ProcessHandle> roots) {
    this.ticksPerSecond = ticksPerSecond;
    this.roots = List.copyOf(roots);
  }

  /**
   * A meter of the trees under {@code roots}, or none where {@code /proc} or getconf is missing.
   */
  static Optional<TreeCpu> linux(List<ProcessHandle> roots) {
    if (!Files.isReadable(Path.of("/proc/self/stat"))) {
      return Optional.empty();
    }
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      return p.waitFor() == 0
          ? Optional.of(new TreeCpu(Long.parseLong(out), roots))
          : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * The CPU time used so far: user and system, of each root and each descendant alive now, and of
   * the children each has waited for. A descendant that exits between two reads and is reaped by
   * one of them moves its time into that parent's counts, so nothing is counted twice or lost.
   */
  Duration used() {
    return byRoot().stream().reduce(Duration.ZERO, Duration::plus);
  }

  /** {@link #used()} of each root's tree, in the roots' order. */
  List<Duration> byRoot() {
    List<Duration> out = new ArrayList<>();
    for (ProcessHandle root : roots) {
      List<ProcessHandle> tree = new ArrayList<>();
      tree.add(root);
      root.descendants().forEach(tree::add);
      long ticks = 0;
      for (ProcessHandle h : tree) {
        ticks += ticks(h.pid());
      }
      out.add(Duration.ofNanos(ticks * 1_000_000_000L / ticksPerSecond));
    }
    return out;
  }

  /** {@code utime + stime + cutime + cstime} of one process; 0 once it has gone. */
  static long ticks(long pid) {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    } catch (IOException e) {
      return 0;
    }
    // The command name is in parentheses and may hold spaces: the fields counted follow it.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // After the name: state is field 3 of the whole line, utime 14, stime 15, cutime 16, cstime 17.
    return Long.parseLong(f[11])
        + Long.parseLong(f[12])
        + Long.parseLong(f[13])
        + Long.parseLong(f[14]);
  }
}
