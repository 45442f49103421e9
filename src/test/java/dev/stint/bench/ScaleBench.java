package dev.stint.bench;

import dev.stint.access.Requests;
import dev.stint.activity.ActivityPlans;
import dev.stint.db.EmbeddedDatabase;
import dev.stint.db.Migrations;
import dev.stint.demo.CloudTrailStandIn;
import dev.stint.http.IngestRoutes;
import dev.stint.testing.FakeSts;
import dev.stint.testing.LoadDriver;
import dev.stint.testing.PlannedQuery;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code make bench-scale}: the same stint, side by side in one run, on an empty database and on
 * one holding a year of a busy organisation ({@link ScaleSpec}: by default ten million audit events
 * in one chain, a million requests of ten thousand people, and ten million cloud calls made with
 * the credentials issued, generated once and cached by {@link ScaleDatabase}). Every figure is
 * measured in interleaved windows (empty, loaded, loaded, empty, ...), so that whatever else the
 * host is doing falls on both; the table gives their ratio against the issue's target of staying
 * within 20 % of the empty database. On the loaded database it also measures what the finding rules
 * cost the ingest, and how soon a pushed call becomes a finding ({@link ScaleFindings}).
 *
 * <p>Environment: BENCH_SCALE_EVENTS, BENCH_SCALE_REQUESTS, BENCH_SCALE_PEOPLE,
 * BENCH_SCALE_ACTIVITY (sizes), BENCH_SCALE_DIR (the cache), BENCH_SCALE_WARMUP (seconds),
 * BENCH_SCALE_WINDOW (seconds per issuance window; reads take half), BENCH_SCALE_ROUNDS (windows
 * per side), BENCH_SCALE_ONLY=findings (only the finding rules' figures, on the loaded side, after
 * a warm-up of the ingest: a few minutes instead of the whole run) or =suggestion (only the
 * right-sizing suggestion's time, on both sides).
 */
public final class ScaleBench {
  static final String WEB_CLIENT = "stint-web";

  /** A busy person of the generated year, on the profile most often asked for. */
  static final String PERSON = ScaleSpec.person(3);

  static final String PROFILE = ScaleRequests.profile(0);
  static final long SSE_BEHIND = 5_000;
  static final long INCREMENTAL = 10_000;

  /** The server's default http.idle_timeout, which a long verify outlasts. */
  static final Duration DEFAULT_IDLE = Duration.ofSeconds(60);

  /** Request list pages of this size, and as many full ones made on each side. */
  static final int LIMIT = 50;

  static final int PAGES = 3;

  /** Calls made with the credential of the request whose activity pages are read. */
  static final int CALLS = 2_000;

  /** Activity pages walked before the deep one. */
  static final int ACTIVITY_PAGES = 9;

  /** What the report of grants never used reads, whose statistics the bench prints. */
  static final List<String> REPORT_TABLES = List.of("grant_usage");

  /** Grants of a minute, ended before the report of grants never used is read. */
  static final int SHORT_GRANTS = 900;

  private ScaleBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    int warmup = Integer.parseInt(env.getOrDefault("BENCH_SCALE_WARMUP", "60"));
    int window = Integer.parseInt(env.getOrDefault("BENCH_SCALE_WINDOW", "12"));
    int rounds = Integer.parseInt(env.getOrDefault("BENCH_SCALE_ROUNDS", "3"));
    String only = env.getOrDefault("BENCH_SCALE_ONLY", "");
    System.out.println(Machine.describe());
    ScaleSpec spec = ScaleSpec.fromEnv(env, Instant.now());
    long t0 = System.nanoTime();
    EmbeddedDatabase loadedDb =
        ScaleDatabase.open(
            Path.of(env.getOrDefault("BENCH_SCALE_DIR", "target/bench-scale")), spec);
    System.out.printf(
        "bench-scale: loaded database ready in %.0f s%n", (System.nanoTime() - t0) / 1e9);
    Path emptyDir = Files.createTempDirectory("stint-bench-empty");
    EmbeddedDatabase emptyDb = EmbeddedDatabase.start(emptyDir, EmbeddedDatabase.Use.DURABLE);
    Migrations.migrate(emptyDb.ownerUrl());
    System.setProperty("aws.accessKeyId", "AKIASTINTLOADTEST001");
    System.setProperty("aws.secretAccessKey", "stint-load-test-secret-not-real-000000000");
    Vertx vertx = Vertx.vertx();
    ScaleTable table = new ScaleTable();
    boolean chainsOk;
    try (FakeSts sts = FakeSts.forLoad();
        CloudTrailStandIn emptyTrail = cloudTrail();
        CloudTrailStandIn loadedTrail = cloudTrail();
        TestIdp idp = new TestIdp("corp");
        LoadDriver driver = new LoadDriver()) {
      String policy = policy(idp);
      // Default settings: a whole verify of the loaded chain outlasts the idle timeout, and
      // answers all the same (the server keeps a slow answer's connection alive). The activity
      // rounds look credentials up in a CloudTrail of each side's own (its own account, so one
      // side's lookups never throttle the other's), and pushed events are taken.
      try (ScaleSide empty =
              ScaleSide.start("empty", emptyDb, serverEnv(sts, emptyTrail), policy, vertx);
          ScaleSide loaded =
              ScaleSide.start("loaded", loadedDb, serverEnv(sts, loadedTrail), policy, vertx)) {
        System.out.printf(
            "bench-scale: %s's history (%d rows) moved to the bench's IdP%n",
            PERSON, loaded.adopt(PERSON, idp.issuer()));
        Run run = new Run(idp, driver, empty, loaded, table, new ScaleUse(idp), window, rounds);
        chainsOk =
            switch (only) {
              case "findings" -> run.findings(warmup);
              case "suggestion" -> run.suggestion();
              default -> run.all(warmup);
            };
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
      TestPostgres.deleteTree(emptyDir);
    }
    table.print();
    System.out.printf("bench-scale: whole run %.0f s%n", (System.nanoTime() - t0) / 1e9);
    System.exit(chainsOk ? 0 : 1);
  }

  static CloudTrailStandIn cloudTrail() {
    return new CloudTrailStandIn(Clock.systemUTC(), CloudTrailStandIn.TYPICAL_DELIVERY)
        .allow(
            System.getProperty("aws.accessKeyId"),
            System.getProperty("aws.secretAccessKey"),
            ScaleUse.ACCOUNT);
  }

  static Map<String, String> serverEnv(FakeSts sts, CloudTrailStandIn cloudTrail) {
    return Map.of(
        "STINT_AWS_STS_ENDPOINT",
        sts.uri().toString(),
        "STINT_AWS_REGION",
        "us-east-1",
        "STINT_AWS_CLOUDTRAIL_ENDPOINT",
        cloudTrail.uri().toString(),
        "STINT_ACTIVITY_INGEST_TOKEN",
        ScaleUse.INGEST_TOKEN);
  }

  static String policy(TestIdp idp) {
    return "admins: 'principal.groups.exists(g, g == \"platform\")'\n"
        + "auditors: 'principal.groups.exists(g, g == \"security\")'\n"
        + "issuers:\n"
        + idp.issuerYaml("corp")
        + "web: {issuer: corp, client_id: "
        + WEB_CLIENT
        + "}\n"
        + "profiles:\n"
        + "  load:\n"
        + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/load\", mode: assume_role}\n"
        + "    max_duration: 1h\n"
        + "    requesters: 'principal.groups.exists(g, g == \"oncall\")'\n"
        + "    approval:\n"
        + "      count: 1\n"
        + "      approvers: 'principal.groups.exists(g, g == \"sre\")'\n"
        + "      auto_approve: 'principal.groups.exists(g, g == \"oncall\")'\n"
        + "  "
        + PROFILE
        + ":\n"
        + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/"
        + PROFILE
        + "\","
        + " mode: assume_role}\n"
        + "    max_duration: 8h\n"
        + "    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n";
  }

  /** One run's measurements, in the order the table lists them. */
  private record Run(
      TestIdp idp,
      LoadDriver driver,
      ScaleSide empty,
      ScaleSide loaded,
      ScaleTable table,
      ScaleUse use,
      int window,
      int rounds) {

    boolean all(int warmup) throws Exception {
      String auditor = idp.token("auditor", "security", "platform");
      String person = idp.token(PERSON, "eng");
      Function<ScaleSide, LoadDriver.Target> issue =
          s ->
              LoadDriver.Target.postJson(
                  s.uri("/v1/credentials"), idp.token("alice", "oncall"), "{\"profile\":\"load\"}");
      System.out.printf(
          "warming up for %d s at 64 clients, alternating (the hot path needs"
              + " about two minutes of JIT)%n",
          warmup);
      for (int i = 0; i < 4; i++) {
        ScaleSide s = i % 2 == 0 ? empty : loaded;
        System.out.println(
            "warm-up "
                + s.name
                + ": "
                + driver.run(issue.apply(s), 64, Duration.ofSeconds(Math.max(1, warmup / 4))));
      }
      LoadDriver.Result[] issuance = measure("issuance, 64 clients", 64, window, issue);
      for (ScaleSide s : List.of(empty, loaded)) {
        use.approved(s, PROFILE, person, 28_800, "INC-26 growth bench");
      }
      int read = Math.max(3, window / 2);
      measure(
          "grant lookup (" + PERSON + "), 16 clients",
          16,
          read,
          s ->
              LoadDriver.Target.postJson(
                  s.uri("/v1/credentials"), person, "{\"profile\":\"" + PROFILE + "\"}"));
      for (ScaleSide s : List.of(empty, loaded)) {
        use.approved(s, PROFILE, "bench-requester-", PAGES * LIMIT, 3600);
      }
      measure(
          "GET /v1/requests first page",
          16,
          read,
          s -> LoadDriver.Target.get(s.uri("/v1/requests?limit=" + LIMIT), auditor));
      // Keyset pages cost the same at any depth, or should: the empty side's deepest full page
      // against a page half a year back on the loaded side.
      Map<ScaleSide, String> deep =
          Map.of(
              empty,
              use.cursorAfter(empty, "/v1/requests?limit=" + LIMIT, auditor, PAGES - 1),
              loaded,
              loaded.sealed(
                  new Requests.Cursor(Instant.now().minus(Duration.ofDays(180)), "req_").encode()));
      measure(
          "GET /v1/requests deep page",
          16,
          read,
          s ->
              LoadDriver.Target.get(
                  s.uri("/v1/requests?limit=" + LIMIT + "&cursor=" + deep.get(s)), auditor));
      measure(
          "GET /v1/audit?actor=" + PERSON,
          16,
          read,
          s ->
              LoadDriver.Target.get(
                  s.uri("/v1/audit?actor=" + URLEncoder.encode(PERSON, StandardCharsets.UTF_8)),
                  auditor));
      Map<ScaleSide, String> cookies =
          Map.of(
              empty, empty.webSession(idp, WEB_CLIENT, "auditor", "security"),
              loaded, loaded.webSession(idp, WEB_CLIENT, "auditor", "security"));
      measure(
          "GET /ui/audit (web page)",
          16,
          read,
          s ->
              new LoadDriver.Target(
                  HttpMethod.GET, s.uri("/ui/audit"), Map.of("Cookie", cookies.get(s)), null));
      activity(auditor, person, cookies, issuance);
      suggestion();
      empty.topUp(2 * INCREMENTAL);
      sse(auditor);
      incremental();
      return full(auditor);
    }

    /** Only the suggestion's time ({@link ScaleSuggestion}), on each side. Verifies no chain. */
    boolean suggestion() throws Exception {
      String auditor = idp.token("auditor", "security", "platform");
      for (ScaleSide s : List.of(empty, loaded)) {
        new ScaleSuggestion(table).run(s, PROFILE, auditor);
      }
      return true;
    }

    /**
     * Only the finding rules' figures ({@link ScaleFindings}), on the loaded side, after {@code
     * warmup} seconds of pushed events at 64 clients (the ingest's hot path warmed as the whole
     * run's earlier windows warm it). Verifies no chain: true.
     */
    boolean findings(int warmup) throws Exception {
      String person = idp.token(PERSON, "eng");
      use.approved(loaded, PROFILE, person, 28_800, "INC-26 findings bench");
      String key = use.mint(loaded, person, PROFILE);
      LoadDriver.Target ingest =
          LoadDriver.Target.postEach(
              loaded.uri(IngestRoutes.PATH),
              Map.of("Authorization", "Bearer " + ScaleUse.INGEST_TOKEN),
              () -> ScaleUse.delivered(key));
      System.out.println(
          "warm-up, pushed events: " + driver.run(ingest, 64, Duration.ofSeconds(warmup)));
      new ScaleFindings(driver, table, window, rounds).run(loaded, key);
      return true;
    }

    /**
     * Activity per grant on both sides: pushed events at full load (beside the issuance rate of the
     * same run), the pages of a request with {@link #CALLS} calls, and the report of grants never
     * used over grants of the bench's own that have ended (the same answer on both sides, so that
     * they differ in how much is stored rather than in what the report lists).
     */
    void activity(
        String auditor, String person, Map<ScaleSide, String> cookies, LoadDriver.Result[] issuance)
        throws Exception {
      Map<ScaleSide, Instant> since = new HashMap<>();
      for (ScaleSide s : List.of(empty, loaded)) {
        since.put(s, use.shortGrants(s, PROFILE, SHORT_GRANTS));
      }
      Instant ended = Instant.now().plusSeconds(62);
      Map<ScaleSide, String> keys = new HashMap<>();
      for (ScaleSide s : List.of(empty, loaded)) {
        keys.put(s, use.mint(s, person, PROFILE));
      }
      LoadDriver.Result[] ingest =
          measure(
              "ingest of pushed events, 64 clients",
              64,
              window,
              s ->
                  LoadDriver.Target.postEach(
                      s.uri(IngestRoutes.PATH),
                      Map.of("Authorization", "Bearer " + ScaleUse.INGEST_TOKEN),
                      () -> ScaleUse.delivered(keys.get(s))));
      for (int i = 0; i < 2; i++) {
        ScaleSide s = i == 0 ? empty : loaded;
        long kept = s.callsOf(keys.get(s));
        if (kept != ingest[i].count(204)) {
          table.note(
              s.name
                  + ": "
                  + kept
                  + " pushed events kept, "
                  + ingest[i].count(204)
                  + " answered 204");
        }
      }
      new ScaleFindings(driver, table, window, rounds).run(loaded, keys.get(loaded));
      table.note(
          String.format(
              "pushed events ingested ÷ issuances, per second in the same run (target at least 1):"
                  + " empty %.2f, loaded %.2f",
              ingest[0].perSecond() / issuance[0].perSecond(),
              ingest[1].perSecond() / issuance[1].perSecond()));
      activityPages(auditor, cookies);
      while (Instant.now().isBefore(ended)) {
        Thread.sleep(1_000);
      }
      measure(
          "GET /v1/reports/unused (" + SHORT_GRANTS + " ended grants)",
          16,
          Math.max(3, window / 2),
          s -> LoadDriver.Target.get(s.uri("/v1/reports/unused?since=" + since.get(s)), auditor));
      for (ScaleSide s : List.of(empty, loaded)) {
        PlannedQuery report = ActivityPlans.queries(Instant.now()).get(0);
        List<Object> params =
            List.of(
                since.get(s).atOffset(ZoneOffset.UTC),
                Instant.now().atOffset(ZoneOffset.UTC),
                report.params().get(2));
        System.out.println(
            s.name
                + ": the report's plan\n  "
                + String.join("\n  ", s.explain(report.sql(), params))
                + "\n  "
                + String.join("\n  ", s.statistics(REPORT_TABLES)));
      }
      if (System.getenv("BENCH_SCALE_ANALYZE") != null) {
        for (ScaleSide s : List.of(empty, loaded)) {
          s.analyze(REPORT_TABLES);
        }
        measure(
            "GET /v1/reports/unused, tables analyzed",
            16,
            Math.max(3, window / 2),
            s -> LoadDriver.Target.get(s.uri("/v1/reports/unused?since=" + since.get(s)), auditor));
      }
      table.note(
          String.format(
              "unused grants listed: empty %d, loaded %d (of %d bench grants, two thirds unused)",
              use.unusedListed(empty, auditor, since.get(empty)),
              use.unusedListed(loaded, auditor, since.get(loaded)),
              SHORT_GRANTS));
    }

    /** A request whose grant made {@link #CALLS} calls, on each side: its API list and its page. */
    void activityPages(String auditor, Map<ScaleSide, String> cookies) throws Exception {
      Map<ScaleSide, String> requests = new HashMap<>();
      for (ScaleSide s : List.of(empty, loaded)) {
        String reader = idp.token("bench-reader", "eng");
        String id = use.approved(s, PROFILE, reader, 28_800, "INC-26 growth bench reader");
        use.push(s, use.mint(s, reader, PROFILE), CALLS);
        requests.put(s, id);
      }
      int read = Math.max(3, window / 2);
      measure(
          "GET /v1/requests/{id}/activity first page (" + CALLS + " calls)",
          16,
          read,
          s -> LoadDriver.Target.get(s.uri(activityPath(requests.get(s))), auditor));
      Map<ScaleSide, String> deep = new HashMap<>();
      for (ScaleSide s : List.of(empty, loaded)) {
        deep.put(s, use.cursorAfter(s, activityPath(requests.get(s)), auditor, ACTIVITY_PAGES));
      }
      measure(
          "GET /v1/requests/{id}/activity page " + (ACTIVITY_PAGES + 1),
          16,
          read,
          s ->
              LoadDriver.Target.get(
                  s.uri(activityPath(requests.get(s)) + "?cursor=" + deep.get(s)), auditor));
      measure(
          "/ui/requests/{id} with its activity (web page)",
          16,
          read,
          s ->
              new LoadDriver.Target(
                  HttpMethod.GET,
                  s.uri("/ui/requests/" + requests.get(s)),
                  Map.of("Cookie", cookies.get(s)),
                  null));
    }

    static String activityPath(String requestId) {
      return "/v1/requests/" + requestId + "/activity";
    }

    /** {@code rounds} windows per side, interleaved, merged per side into one table entry. */
    LoadDriver.Result[] measure(
        String name, int clients, int seconds, Function<ScaleSide, LoadDriver.Target> target)
        throws Exception {
      List<LoadDriver.Result> a = new ArrayList<>();
      List<LoadDriver.Result> b = new ArrayList<>();
      // Empty, loaded, then loaded, empty: the JIT still improving or a neighbour's burst
      // favours neither side by coming always first or always second.
      for (int i = 0; i < rounds; i++) {
        for (ScaleSide s : i % 2 == 0 ? List.of(empty, loaded) : List.of(loaded, empty)) {
          (s == empty ? a : b)
              .add(driver.run(target.apply(s), clients, Duration.ofSeconds(seconds)));
        }
      }
      LoadDriver.Result ea = ScaleProbes.merge(a);
      LoadDriver.Result lb = ScaleProbes.merge(b);
      System.out.println(name + ": empty " + ea);
      System.out.println(name + ": loaded " + lb);
      table.load(name, ea, lb);
      return new LoadDriver.Result[] {ea, lb};
    }

    void sse(String auditor) throws Exception {
      Map<ScaleSide, List<ScaleProbes.Timed>> runs =
          Map.of(empty, new ArrayList<>(), loaded, new ArrayList<>());
      for (int i = 0; i < 3 * rounds; i++) {
        for (ScaleSide s : i % 2 == 0 ? List.of(empty, loaded) : List.of(loaded, empty)) {
          ScaleProbes.Timed t = ScaleProbes.sseCatchUp(s, auditor, (Long) s.head()[0], SSE_BEHIND);
          if (!t.ok()) {
            table.note(
                "SSE catch-up on "
                    + s.name
                    + " delivered "
                    + t.events()
                    + " events, not "
                    + SSE_BEHIND);
          }
          runs.get(s).add(t);
        }
      }
      System.out.printf(
          "SSE catch-up: empty %.0f ms, loaded %.0f ms (medians)%n",
          ScaleProbes.median(runs.get(empty)), ScaleProbes.median(runs.get(loaded)));
      table.add(
          "SSE catch-up, " + SSE_BEHIND + " behind, median ms",
          ScaleProbes.median(runs.get(empty)),
          ScaleProbes.median(runs.get(loaded)),
          false);
    }

    void incremental() throws Exception {
      Map<ScaleSide, List<ScaleProbes.Timed>> runs =
          Map.of(empty, new ArrayList<>(), loaded, new ArrayList<>());
      for (int i = 0; i < 3 * rounds; i++) {
        for (ScaleSide s : i % 2 == 0 ? List.of(empty, loaded) : List.of(loaded, empty)) {
          runs.get(s).add(ScaleProbes.incrementalVerify(s, INCREMENTAL));
        }
      }
      double e = ScaleProbes.median(runs.get(empty));
      double l = ScaleProbes.median(runs.get(loaded));
      System.out.printf(
          "incremental verify of %d: empty %.0f ms, loaded %.0f ms (medians)%n", INCREMENTAL, e, l);
      table.add("incremental verify, " + INCREMENTAL + " new, ms", e, l, false);
      table.add(
          "incremental verify events/s", INCREMENTAL / (e / 1e3), INCREMENTAL / (l / 1e3), true);
    }

    boolean full(String auditor) throws Exception {
      ScaleProbes.Timed e = ScaleProbes.fullVerify(empty, auditor);
      System.out.printf(
          "full verify empty: %,d events in %.1f s, ok %s%n", e.events(), e.millis() / 1e3, e.ok());
      ScaleProbes.Timed l;
      try {
        l = ScaleProbes.fullVerify(loaded, auditor);
      } catch (IOException failed) {
        // The table is still worth having: say the verify gave no answer, and why.
        table.note("GET /v1/audit/verify on the loaded database gave no answer: " + failed);
        return false;
      }
      System.out.printf(
          "full verify loaded: %,d events in %.1f s, ok %s%n",
          l.events(), l.millis() / 1e3, l.ok());
      table.add("full verify events/s", e.eventsPerSecond(), l.eventsPerSecond(), true);
      if (l.millis() > DEFAULT_IDLE.toMillis()) {
        table.note(
            String.format(
                "GET /v1/audit/verify on the loaded database took %.0f s, past"
                    + " the default http.idle_timeout (%d s): answered over a connection kept alive",
                l.millis() / 1e3, DEFAULT_IDLE.toSeconds()));
      }
      table.note(
          String.format(
              "full verify: empty %,d events in %.1f s, loaded %,d events in"
                  + " %.1f s; both ok: %s",
              e.events(), e.millis() / 1e3, l.events(), l.millis() / 1e3, e.ok() && l.ok()));
      return e.ok() && l.ok();
    }
  }
}
