package dev.stint.bench;

import dev.stint.config.DatabaseUrl;
import dev.stint.db.EmbeddedDatabase;
import dev.stint.db.Migrations;
import dev.stint.testing.AuditTables;
import dev.stint.testing.FakeSts;
import dev.stint.testing.IssuanceRig;
import dev.stint.testing.LoadDriver;
import dev.stint.testing.StintProcess;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code make bench-outside}: issuance measured from outside. stint runs as its own process (the
 * way {@code stint serve} runs, logging JSON lines to a pipe that is read), on a durable embedded
 * Postgres; the load comes from wrk, another process (or, without wrk, from this JVM's load driver,
 * which is still apart from the server). {@code /healthz} and a raw Postgres commit are measured in
 * the same run, so the figures that travel between hosts are the ratios.
 *
 * <p>Arguments: warm-up seconds, seconds per measured run, then options for the server's JVM. With
 * {@code -Dbench.apart=true} ({@code BENCH_APART=1}) the whole run is made twice: as above, then
 * with the server on cores of its own and everything else on the others ({@link CoreSplit}), and
 * the two tails are compared.
 */
public final class OutsideBench {
  static final int CLIENTS = 64;

  /** The server's last log lines kept for a failure's report; the rest are read and dropped. */
  static final int KEPT_LINES = 2_000;

  /** The server's histograms that split an issuance: all of it, the cloud call, the audit. */
  static final List<String> SERVER_SERIES =
      List.of(
          "stint_issuance_seconds{channel=\"credentials\",outcome=\"issued\"}",
          "stint_issuance_mint_seconds{cloud=\"aws\",outcome=\"minted\"}",
          "stint_audit_wait_seconds{outcome=\"committed\"}",
          "stint_audit_batch_seconds{outcome=\"committed\"}");

  /** About one median issuance: the clients' first requests arrive as they would later on. */
  static final Duration STAGGER = Duration.ofMillis(32);

  private OutsideBench() {}

  public static void main(String[] args) throws Exception {
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 150;
    int measure = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    List<String> jvm = args.length > 2 ? Arrays.asList(args).subList(2, args.length) : List.of();
    System.out.println(Machine.describe());
    Optional<CoreSplit> split =
        Boolean.getBoolean("bench.apart")
            ? CoreSplit.of(Runtime.getRuntime().availableProcessors())
            : Optional.empty();
    if (Boolean.getBoolean("bench.apart") && split.isEmpty()) {
      System.out.println("BENCH_APART: one core cannot be split; measuring shared only");
    }
    Path dir = Files.createTempDirectory("stint-bench-outside");
    try {
      Result shared = run(dir.resolve("shared"), warmup, measure, jvm, List.of());
      if (split.isPresent()) {
        System.out.println();
        System.out.println("again, " + split.get());
        split.get().moveThisJvmToTheRest();
        Result apart =
            run(dir.resolve("apart"), warmup, measure, jvm, split.get().serverLauncher());
        compare(shared, apart);
      }
    } finally {
      // The run's durable Postgres grows with every issuance: left behind, each run leaks it.
      TestPostgres.deleteTree(dir);
    }
    System.exit(0);
  }

  /**
   * One whole run: Postgres, the stand-ins and the server started afresh, the server by {@code
   * launcher} (empty: on every core, beside everything else).
   */
  private static Result run(
      Path dir, int warmup, int measure, List<String> jvm, List<String> launcher) throws Exception {
    Files.createDirectories(dir);
    try (FakeSts sts = FakeSts.forLoad();
        TestIdp idp = new TestIdp("corp");
        EmbeddedDatabase db =
            EmbeddedDatabase.start(dir.resolve("pg"), EmbeddedDatabase.Use.DURABLE)) {
      Migrations.migrate(db.ownerUrl());
      Path policies = Files.createDirectories(dir.resolve("policies"));
      Files.writeString(policies.resolve("policy.yaml"), IssuanceRig.policy(idp));
      Map<String, String> env = new HashMap<>();
      env.put("STINT_LISTEN", "127.0.0.1:0");
      env.put("STINT_DATABASE_URL", db.url().withCredentials());
      env.put("STINT_POLICIES", policies.toString());
      env.put("STINT_DATA_DIR", dir.resolve("data").toString());
      env.put("STINT_AWS_STS_ENDPOINT", sts.uri().toString());
      env.put("STINT_AWS_REGION", "us-east-1");
      env.put("AWS_ACCESS_KEY_ID", "AKIASTINTLOADTEST001");
      env.put("AWS_SECRET_ACCESS_KEY", "stint-load-test-secret-not-real-000000000");
      Result result;
      try (StintProcess stint = StintProcess.start(launcher, KEPT_LINES, jvm, env, dir, "serve")) {
        URI base = stint.listeningOn(Duration.ofSeconds(90));
        System.out.printf(
            "server: its own process%s%s; load: %s%n",
            jvm.isEmpty() ? "" : " with " + String.join(" ", jvm),
            launcher.isEmpty() ? "" : ", started by " + String.join(" ", launcher),
            Wrk.installed() ? "wrk (its own process)" : "this JVM's load driver (wrk not found)");
        result = measure(base, idp.token("alice", "oncall"), warmup, measure, db.ownerUrl());
        stint.terminate();
        stint.waitFor(Duration.ofSeconds(60));
      }
      long audited = AuditTables.count(db.url(), "type = 'credential.issued'");
      print(result, audited);
      return result;
    }
  }

  /** The tail both ways, measured in this one run: what sharing the cores does to it. */
  static void compare(Result shared, Result apart) {
    System.out.println();
    System.out.println("issuance p99 / p50, shared cores and the server's own, in this run:");
    System.out.printf(
        "  shared %.2f, apart %.2f (p50 %.1f / %.1f ms, p99 %.1f / %.1f ms, %.0f / %.0f per s)%n",
        shared.issuance().p99() / shared.issuance().p50(),
        apart.issuance().p99() / apart.issuance().p50(),
        shared.issuance().p50(),
        apart.issuance().p50(),
        shared.issuance().p99(),
        apart.issuance().p99(),
        shared.issuance().perSecond(),
        apart.issuance().perSecond());
  }

  record Run(double perSecond, double p50, double p99, String detail) {}

  record Result(Run issuance, Run health, double commits) {}

  static Result measure(URI base, String token, int warmup, int measure, DatabaseUrl owner)
      throws Exception {
    URI credentials = base.resolve("/v1/credentials");
    URI health = base.resolve("/healthz");
    Map<String, String> headers =
        Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json");
    System.out.printf("warming up for %d s at %d clients%n", warmup, CLIENTS);
    Run issuance;
    List<String> seconds;
    ServerHistograms before;
    ServerHistograms after;
    try (Timeline timeline = Timeline.start(base, SERVER_SERIES)) {
      run(credentials, headers, IssuanceRig.BODY, warmup);
      before = timeline.scrape();
      timeline.restart();
      issuance = run(credentials, headers, IssuanceRig.BODY, measure);
      seconds = timeline.lines();
      after = timeline.scrape();
    }
    System.out.println("issuance: " + issuance.detail());
    System.out.println("in the server's own clock, over the same window:");
    for (String series : SERVER_SERIES) {
      System.out.println("  " + after.since(before, series));
    }
    System.out.println("second by second (issued, p50, p99 in ms: issuance | mint | audit wait):");
    seconds.forEach(line -> System.out.println("  " + line));
    Run healthz = run(health, Map.of(), null, Math.max(5, measure / 2));
    System.out.println("healthz:  " + healthz.detail());
    double commits = PostgresCommitRate.perSecond(owner, Duration.ofSeconds(10));
    return new Result(issuance, healthz, commits);
  }

  static Run run(URI uri, Map<String, String> headers, String body, int seconds) throws Exception {
    String method = body == null ? "GET" : "POST";
    if (Wrk.installed()) {
      Wrk.Result r =
          Wrk.run(
              uri,
              CLIENTS,
              Duration.ofSeconds(seconds),
              body == null ? Duration.ZERO : STAGGER,
              method,
              headers,
              body);
      return new Run(r.perSecond(), r.p50Millis(), r.p99Millis(), r.toString());
    }
    try (LoadDriver driver = new LoadDriver()) {
      LoadDriver.Target target =
          body == null
              ? new LoadDriver.Target(HttpMethod.GET, uri, headers, null)
              : new LoadDriver.Target(HttpMethod.POST, uri, headers, body);
      LoadDriver.Result r = driver.run(target, CLIENTS, Duration.ofSeconds(seconds));
      return new Run(
          r.perSecond(), r.percentileMillis(0.5), r.percentileMillis(0.99), r.toString());
    }
  }

  static void print(Result r, long audited) {
    System.out.println();
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "issuance p99 / p50 (target at most 2.5)",
          String.format("%.2f", r.issuance().p99() / r.issuance().p50()),
          r.issuance().p99() / r.issuance().p50() <= 2.5 ? "met" : "NOT met"
        });
    rows.add(
        new String[] {
          "issuance / healthz (throughput)",
          String.format("%.3f", r.issuance().perSecond() / r.health().perSecond()),
          ""
        });
    rows.add(
        new String[] {
          "issuance / raw Postgres commit",
          String.format("%.2f", r.issuance().perSecond() / r.commits()),
          ""
        });
    System.out.println("ratios, measured in this run (these travel between hosts):");
    rows.forEach(row -> System.out.printf("  %-42s %8s  %s%n", row[0], row[1], row[2]));
    System.out.println("this host's figures:");
    System.out.printf(
        "  issuance %.0f/s, p50 %.1f ms, p99 %.1f ms at %d clients%n",
        r.issuance().perSecond(), r.issuance().p50(), r.issuance().p99(), CLIENTS);
    System.out.printf(
        "  healthz %.0f/s, p99 %.1f ms; raw Postgres commits %.0f/s%n",
        r.health().perSecond(), r.health().p99(), r.commits());
    System.out.printf("  credential.issued events committed: %d%n", audited);
  }
}
