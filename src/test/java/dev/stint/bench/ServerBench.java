package dev.stint.bench;

import dev.stint.testing.IssuanceRig;
import dev.stint.testing.LoadDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code make bench-server}: credential issuance through a real server (durable embedded Postgres,
 * real IdP, fake STS answering at once) at 1, 16 and 64 closed-loop clients, with the same server's
 * {@code /healthz} and the same Postgres's single-row commit rate measured in the same run, so that
 * the cost of stint's own work shows as ratios; beside each issuance run, the audit writer's meters
 * over it (see {@link AuditWindow}). Ends by checking that every 200 of the run has exactly one
 * {@code credential.issued} event.
 *
 * <p>Arguments: warm-up seconds (64 clients, before anything is measured) and seconds per measured
 * run.
 */
public final class ServerBench {
  private ServerBench() {}

  /** One client count: its issuance, its health checks, and the audit writer's meters. */
  record Row(int clients, LoadDriver.Result issuance, LoadDriver.Result health, String audit) {}

  public static void main(String[] args) throws Exception {
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 150;
    int measure = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    List<Row> rows = new ArrayList<>();
    long ok = 0;
    double commits;
    long audited;
    System.out.println(Machine.describe());
    try (IssuanceRig rig = IssuanceRig.start(true, Map.of());
        LoadDriver driver = new LoadDriver()) {
      LoadDriver.Target issue = rig.credentials("alice");
      LoadDriver.Target health = LoadDriver.Target.get(rig.uri("/healthz"));
      System.out.printf(
          "warming up for %d s at 64 clients (the hot path needs about two minutes of JIT)%n",
          warmup);
      LoadDriver.Result warm = driver.run(issue, 64, Duration.ofSeconds(warmup));
      ok += warm.count(200);
      System.out.println("warm-up: " + warm);
      for (int clients : new int[] {1, 16, 64}) {
        AuditWindow before = AuditWindow.snapshot(rig.server().server().meters());
        LoadDriver.Result i = driver.run(issue, clients, Duration.ofSeconds(measure));
        String audit = AuditWindow.snapshot(rig.server().server().meters()).since(before, measure);
        ok += i.count(200);
        System.out.println("issuance: " + i);
        LoadDriver.Result h =
            driver.run(health, clients, Duration.ofSeconds(Math.max(5, measure / 2)));
        System.out.println("healthz:  " + h);
        rows.add(new Row(clients, i, h, audit));
      }
      commits = PostgresCommitRate.perSecond(rig.ownerDatabase(), Duration.ofSeconds(10));
      rig.server().close(); // drains the audit writer before counting
      audited = rig.auditCount("credential.issued");
    }
    print(rows, commits, ok, audited);
    System.exit(audited == ok ? 0 : 1);
  }

  static void print(List<Row> rows, double commits, long ok, long audited) {
    System.out.println();
    System.out.println("ratios first (they travel between hosts), then this host's figures:");
    System.out.printf(
        "%-8s %14s %15s %8s %12s %9s %9s %12s %9s %s%n",
        "clients",
        "issue/healthz",
        "issue/pg-commit",
        "p99/p50",
        "issuance/s",
        "p50 ms",
        "p99 ms",
        "healthz/s",
        "hz p99",
        AuditWindow.header());
    for (Row r : rows) {
      System.out.printf(
          "%-8d %14.3f %15.2f %8.2f %12.0f %9.1f %9.1f %12.0f %9.1f %s%n",
          r.clients(),
          r.issuance().perSecond() / r.health().perSecond(),
          r.issuance().perSecond() / commits,
          r.issuance().percentileMillis(0.99) / r.issuance().percentileMillis(0.5),
          r.issuance().perSecond(),
          r.issuance().percentileMillis(0.5),
          r.issuance().percentileMillis(0.99),
          r.health().perSecond(),
          r.health().percentileMillis(0.99),
          r.audit());
      long non200 = r.issuance().total() - r.issuance().count(200);
      if (non200 > 0) {
        System.out.printf(
            "         (%d issuance requests were not 200: %s, failures %d)%n",
            non200, r.issuance().byStatus(), r.issuance().failures());
      }
    }
    System.out.printf(
        "raw Postgres single-row commits (one connection, fsync on): %.0f/s%n", commits);
    Row last = rows.get(rows.size() - 1);
    double tail = last.issuance().percentileMillis(0.99) / last.issuance().percentileMillis(0.5);
    System.out.printf(
        "tail at %d clients: p99/p50 %.2f (target at most 2.5): %s%n",
        last.clients(), tail, tail <= 2.5 ? "met" : "NOT met");
    System.out.printf(
        "audited: %d credential.issued events for %d responses 200 — %s%n",
        audited, ok, audited == ok ? "every issuance audited" : "MISMATCH");
  }
}
