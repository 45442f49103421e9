package dev.stint.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * What the benches ran on, printed at the top of their output. The VMs of this workplace differ
 * from day to day (the same build's CPU per issuance moved by more than any change to the code did;
 * docs/performance-history.md), so a figure is only comparable with another taken on the same kind
 * of host: the CPU model says which, and the single-core probe says how fast that host was while
 * the bench ran.
 */
public final class Machine {
  private static final int PROBE_BYTES = 1024;
  private static final int PROBE_ROUNDS = 20_000;

  private Machine() {}

  /** One line: CPU model, cores, JVM, kernel, and the single-core probe. */
  public static String describe() {
    Runtime rt = Runtime.getRuntime();
    return String.format(
        "machine: %s, %d cores; %s %s; %s %s; SHA-256 of 1 KiB: %.2f µs"
            + " (single core, best of 5)",
        cpuModel().orElse(System.getProperty("os.arch")),
        rt.availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"),
        System.getProperty("os.name"),
        System.getProperty("os.version"),
        sha256Micros());
  }

  private static Optional<String> cpuModel() {
    try {
      return cpuModel(Files.readString(Path.of("/proc/cpuinfo")));
    } catch (IOException e) {
      return Optional.empty(); // not Linux, or /proc unreadable: the bench still runs
    }
  }

  /** The first {@code model name} line of a {@code /proc/cpuinfo} text. */
  static Optional<String> cpuModel(String cpuinfo) {
    return cpuinfo
        .lines()
        .filter(l -> l.startsWith("model name"))
        .map(l -> l.substring(l.indexOf(':') + 1).strip())
        .filter(s -> !s.isEmpty())
        .findFirst();
  }

  /**
   * A fixed piece of CPU work, timed: enough rounds for the JIT to compile it, best of five, so the
   * figure reflects the core's speed rather than a pause. Hashing is a fair stand-in: the request
   * path hashes (SigV4, the audit chain), and 1 KiB stays in the core's own cache, so the figure is
   * the core's and not the memory's.
   */
  static double sha256Micros() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] data = new byte[PROBE_BYTES];
      double best = Double.MAX_VALUE;
      for (int run = 0; run < 5; run++) {
        long start = System.nanoTime();
        for (int i = 0; i < PROBE_ROUNDS; i++) {
          data[i % PROBE_BYTES] ^= sha.digest(data)[0];
        }
        best = Math.min(best, (System.nanoTime() - start) / 1e3 / PROBE_ROUNDS);
      }
      return best;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
