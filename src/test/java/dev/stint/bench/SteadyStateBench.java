package dev.stint.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import dev.stint.testing.IssuanceRig;
import dev.stint.testing.LoadDriver;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;

/**
 * {@code make bench-steady}: issuance at 64 clients only, measured in several consecutive windows
 * after the warm-up, each with its latency percentiles and the CPU time and bytes allocated per
 * request by this JVM (server, fake STS and load driver together; Postgres runs apart). On this VM
 * throughput moves a lot from one minute to the next, while the CPU and allocation per request move
 * much less, so those are what to compare when two builds are run back to back. Beside them, the
 * audit writer's meters over the same window (see {@link AuditWindow}): how long issuances waited
 * for their commit, and how the batches went. Exits non-zero unless every 200 has its {@code
 * credential.issued} event.
 *
 * <p>Arguments: warm-up seconds, windows, seconds per window.
 */
public final class SteadyStateBench {
  private static final int CLIENTS = 64;

  private SteadyStateBench() {}

  public static void main(String[] args) throws Exception {
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 150;
    int windows = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long ok = 0;
    long audited;
    System.out.println(Machine.describe());
    try (IssuanceRig rig = IssuanceRig.start(true, Map.of());
        LoadDriver driver = new LoadDriver()) {
      LoadDriver.Target issue = rig.credentials("alice");
      System.out.printf("warming up for %d s at %d clients%n", warmup, CLIENTS);
      ok += driver.run(issue, CLIENTS, Duration.ofSeconds(warmup)).count(200);
      System.out.printf(
          "%-7s %11s %8s %8s %8s %9s %8s %12s %12s %s%n",
          "window",
          "issuance/s",
          "p50 ms",
          "p90 ms",
          "p99 ms",
          "p99.9 ms",
          "max ms",
          "CPU us/req",
          "alloc KB/req",
          AuditWindow.header());
      for (int w = 1; w <= windows; w++) {
        long cpu = os.getProcessCpuTime();
        long allocated = threads.getTotalThreadAllocatedBytes();
        AuditWindow audit = AuditWindow.snapshot(rig.server().server().meters());
        LoadDriver.Result r = driver.run(issue, CLIENTS, Duration.ofSeconds(seconds));
        cpu = os.getProcessCpuTime() - cpu;
        allocated = threads.getTotalThreadAllocatedBytes() - allocated;
        ok += r.count(200);
        System.out.printf(
            "%-7d %11.0f %8.1f %8.1f %8.1f %9.1f %8.1f %12.0f %12.0f %s%n",
            w,
            r.perSecond(),
            r.percentileMillis(0.5),
            r.percentileMillis(0.9),
            r.percentileMillis(0.99),
            r.percentileMillis(0.999),
            r.percentileMillis(1.0),
            cpu / 1e3 / r.total(),
            allocated / 1e3 / r.total(),
            AuditWindow.snapshot(rig.server().server().meters()).since(audit, seconds));
      }
      rig.server().close(); // drains the audit writer before counting
      audited = rig.auditCount("credential.issued");
    }
    System.out.printf(
        "audited: %d credential.issued events for %d responses 200 — %s%n",
        audited, ok, audited == ok ? "every issuance audited" : "MISMATCH");
    System.exit(audited == ok ? 0 : 1);
  }
}
