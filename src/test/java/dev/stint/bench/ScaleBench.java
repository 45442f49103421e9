package dev.stint.bench;

import dev.stint.access.RequestCursor;
import dev.stint.db.EmbeddedDatabase;
import dev.stint.db.Migrations;
import dev.stint.testing.FakeSts;
import dev.stint.testing.LoadDriver;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code make bench-scale}: the same stint, side by side in one run, on an empty database and on
 * one holding a year of a busy organisation ({@link ScaleSpec}: by default ten million audit events
 * in one chain and a million requests of ten thousand people, generated once and cached by {@link
 * ScaleDatabase}). Every figure is measured in interleaved windows (empty, loaded, loaded, empty,
 * ...), so that whatever else the host is doing falls on both; the table gives their ratio against
 * the issue's target of staying within 20 % of the empty database.
 *
 * <p>Environment: BENCH_SCALE_EVENTS, BENCH_SCALE_REQUESTS, BENCH_SCALE_PEOPLE (sizes),
 * BENCH_SCALE_DIR (the cache), BENCH_SCALE_WARMUP (seconds), BENCH_SCALE_WINDOW (seconds per
 * issuance window; reads take half), BENCH_SCALE_ROUNDS (windows per side).
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

  private ScaleBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    int warmup = Integer.parseInt(env.getOrDefault("BENCH_SCALE_WARMUP", "60"));
    int window = Integer.parseInt(env.getOrDefault("BENCH_SCALE_WINDOW", "12"));
    int rounds = Integer.parseInt(env.getOrDefault("BENCH_SCALE_ROUNDS", "3"));
    System.out.println(Machine.describe());
    ScaleSpec spec = ScaleSpec.fromEnv(env, Instant.now());
    long t0 = System.nanoTime();
    EmbeddedDatabase loadedDb =
        ScaleDatabase.open(
            Path.of(env.getOrDefault("BENCH_SCALE_DIR", "target/bench-scale")), spec);
    System.out.printf(
        "bench-scale: loaded database ready in %.0f s%n", (System.nanoTime() - t0) / 1e9);
    Path emptyDir = Files.createTempDirectory("stint-bench-empty");
    EmbeddedDatabase emptyDb = EmbeddedDatabase.start(emptyDir, true);
    Migrations.migrate(emptyDb.ownerUrl());
    System.setProperty("aws.accessKeyId", "AKIASTINTLOADTEST001");
    System.setProperty("aws.secretAccessKey", "stint-load-test-secret-not-real-000000000");
    Vertx vertx = Vertx.vertx();
    ScaleTable table = new ScaleTable();
    boolean chainsOk;
    try (FakeSts sts = FakeSts.forLoad();
        TestIdp idp = new TestIdp("corp");
        LoadDriver driver = new LoadDriver()) {
      // Default settings: a whole verify of the loaded chain outlasts the idle timeout, and
      // answers all the same (the server keeps a slow answer's connection alive).
      Map<String, String> serverEnv =
          Map.of("STINT_AWS_STS_ENDPOINT", sts.uri().toString(), "STINT_AWS_REGION", "us-east-1");
      String policy = policy(idp);
      try (ScaleSide empty = ScaleSide.start("empty", emptyDb, serverEnv, policy, vertx);
          ScaleSide loaded = ScaleSide.start("loaded", loadedDb, serverEnv, policy, vertx)) {
        System.out.printf(
            "bench-scale: %s's history (%d rows) moved to the bench's IdP%n",
            PERSON, loaded.adopt(PERSON, idp.issuer()));
        chainsOk = new Run(idp, driver, empty, loaded, table, window, rounds).all(warmup);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
      TestPostgres.deleteTree(emptyDir);
    }
    table.print();
    System.out.printf("bench-scale: whole run %.0f s%n", (System.nanoTime() - t0) / 1e9);
    System.exit(chainsOk ? 0 : 1);
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
      measure("issuance, 64 clients", 64, window, issue);
      for (ScaleSide s : List.of(empty, loaded)) {
        activeGrant(s, person);
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
        requests(s, PAGES * LIMIT);
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
              cursorAfter(empty, auditor, PAGES - 1),
              loaded,
              loaded.sealed(
                  new RequestCursor(Instant.now().minus(Duration.ofDays(180)), "req_").encode()));
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
      empty.topUp(2 * INCREMENTAL);
      sse(auditor);
      incremental();
      return full(auditor);
    }

    /** {@code rounds} windows per side, interleaved, merged per side into one table entry. */
    void measure(
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
    }

    /** The person asks for the profile and an sre approves: their grant is then active. */
    void activeGrant(ScaleSide s, String person) throws Exception {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> made =
          http.send(
              post(
                  s.uri("/v1/requests"),
                  person,
                  "{\"profile\":\""
                      + PROFILE
                      + "\",\"duration_seconds\":28800,\"reason\":\"INC-26 growth bench\"}"),
              HttpResponse.BodyHandlers.ofString());
      if (made.statusCode() != 201) {
        throw new IllegalStateException(
            s.name + ": request answered " + made.statusCode() + ": " + made.body());
      }
      String id = new JsonObject(made.body()).getString("id");
      URI approve = s.uri("/v1/requests/" + id + "/approve");
      HttpResponse<String> ok =
          http.send(
              post(approve, idp.token("bench-approver", "sre"), "{}"),
              HttpResponse.BodyHandlers.ofString());
      if (ok.statusCode() != 200) {
        throw new IllegalStateException(
            s.name + ": approve answered " + ok.statusCode() + ": " + ok.body());
      }
    }

    /**
     * {@code n} requests by as many people, each approved by one vote and holding its grant, as
     * most of the generated year's are: full pages on the empty side too, of the same kind of rows
     * as a page of the loaded year, so that the two sides differ in how much is stored rather than
     * in what a page holds.
     */
    void requests(ScaleSide s, int n) throws Exception {
      HttpClient http = HttpClient.newHttpClient();
      String approver = idp.token("bench-approver", "sre");
      for (int i = 0; i < n; i++) {
        HttpResponse<String> made =
            http.send(
                post(
                    s.uri("/v1/requests"),
                    idp.token("bench-requester-" + i, "eng"),
                    "{\"profile\":\""
                        + PROFILE
                        + "\",\"duration_seconds\":3600,\"reason\":\"INC-26 page "
                        + i
                        + "\"}"),
                HttpResponse.BodyHandlers.ofString());
        if (made.statusCode() != 201) {
          throw new IllegalStateException(
              s.name + ": request answered " + made.statusCode() + ": " + made.body());
        }
        String id = new JsonObject(made.body()).getString("id");
        HttpResponse<String> ok =
            http.send(
                post(s.uri("/v1/requests/" + id + "/approve"), approver, "{}"),
                HttpResponse.BodyHandlers.ofString());
        if (ok.statusCode() != 200) {
          throw new IllegalStateException(
              s.name + ": approve answered " + ok.statusCode() + ": " + ok.body());
        }
      }
    }

    /** The cursor after {@code pages} pages of the list. */
    String cursorAfter(ScaleSide s, String auditor, int pages) throws Exception {
      HttpClient http = HttpClient.newHttpClient();
      String cursor = null;
      for (int i = 0; i < pages; i++) {
        String query = "/v1/requests?limit=" + LIMIT + (cursor == null ? "" : "&cursor=" + cursor);
        HttpResponse<String> page =
            http.send(
                HttpRequest.newBuilder(s.uri(query))
                    .header("Authorization", "Bearer " + auditor)
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        cursor = new JsonObject(page.body()).getString("next_cursor");
      }
      return cursor;
    }

    static HttpRequest post(URI uri, String token, String json) {
      return HttpRequest.newBuilder(uri)
          .header("Authorization", "Bearer " + token)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(json))
          .build();
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
