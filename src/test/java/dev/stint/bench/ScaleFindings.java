package dev.stint.bench;

import dev.stint.config.DatabaseUrl;
import dev.stint.http.IngestRoutes;
import dev.stint.standin.CloudTrailEvent;
import dev.stint.testing.EventBridgeDeliveries;
import dev.stint.testing.LoadDriver;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the finding rules cost, on the loaded side (docs/performance.md): the ingest's rate of
 * pushed events with the rules judging every kept call, against the same database with the judging
 * held off (the bench takes the judging turn, the advisory lock a replica judges under, so the
 * server's worker finds it taken and judges nothing; the calls wait queued), in interleaved
 * windows; the target is a ratio of at least 0.9. Each window begins settled, whichever kind it is:
 * the queue drained, then vacuumed, then a checkpoint. Without that, the window after a held one
 * would also pay for the held window's calls (the drain's writes flushed at the next checkpoint,
 * the queue's dead rows vacuumed), which only judging windows ever follow. The ingest's calls raise
 * no finding: a finding raised costs its outbox, audit and notices, whichever rule raised it, and a
 * stream of them in the judging windows alone would be counted against the rules. And how long a
 * pushed call takes to become a finding, in windows of their own: {@code escape} calls pushed four
 * a second while the ingest runs at 64 clients with the rules judging, and alone, each from the
 * moment its push was sent to its finding's {@code raised_at}.
 */
final class ScaleFindings {
  static final double TARGET = 0.90;
  static final long PROBE_EVERY_MILLIS = 250;
  static final int IDLE_PROBES = 40;

  /** Windows of the ingest with the rules judging and a probe every {@link #PROBE_EVERY_MILLIS}. */
  static final int PROBED_WINDOWS = 2;

  /** The judging turn: {@code finding.CallQueue.TURN}'s keys, held for a whole window. */
  static final String HOLD = "SELECT pg_advisory_lock(1398031940, 1)";

  private final LoadDriver driver;
  private final ScaleTable table;
  private final int window;
  private final int rounds;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, Instant> sent = new ConcurrentHashMap<>();

  ScaleFindings(LoadDriver driver, ScaleTable table, int window, int rounds) {
    this.driver = driver;
    this.table = table;
    this.window = window;
    this.rounds = rounds;
  }

  /** The figures on {@code s}, whose calls are made with {@code key}. */
  void run(ScaleSide s, String key) throws Exception {
    LoadDriver.Target ingest =
        LoadDriver.Target.postEach(
            s.uri(IngestRoutes.PATH),
            Map.of("Authorization", "Bearer " + ScaleUse.INGEST_TOKEN),
            () -> ScaleUse.delivered(key));
    cost(s, ingest);
    List<LoadDriver.Result> probedWindows = new ArrayList<>();
    for (int i = 0; i < PROBED_WINDOWS; i++) {
      settled(s);
      probedWindows.add(probed(s, key, () -> driver.run(ingest, 64, Duration.ofSeconds(window))));
    }
    List<Long> loadedLatency = latencies(s, List.copyOf(sent.keySet()));
    sent.clear();
    drained(s);
    for (int i = 0; i < IDLE_PROBES; i++) {
      probe(s, key);
      Thread.sleep(PROBE_EVERY_MILLIS);
    }
    List<Long> idleLatency = latencies(s, List.copyOf(sent.keySet()));
    table.note(
        String.format(
            "findings: push to finding under the ingest with the rules judging (%.0f/s, a finding"
                + " raised every %d ms), %s",
            ScaleProbes.merge(probedWindows).perSecond(),
            PROBE_EVERY_MILLIS,
            summary(loadedLatency)));
    table.note("findings: push to finding alone, " + summary(idleLatency));
  }

  /**
   * The rules' cost: the ingest's rate and CPU per call with the rules judging against the judging
   * held off, in interleaved windows of the same ingest, which raises no finding. Findings raised
   * cost what their outbox, audit and notices do, whatever rules raised them: the probes' windows
   * of {@link #run} carry that, apart.
   */
  private void cost(ScaleSide s, LoadDriver.Target ingest) throws Exception {
    List<LoadDriver.Result> on = new ArrayList<>();
    List<LoadDriver.Result> off = new ArrayList<>();
    Optional<TreeCpu> cpu = TreeCpu.linux(List.of(ProcessHandle.current(), postmaster(s)));
    // [judging or held][the JVM or Postgres]
    Duration[][] cpuUsed = {{Duration.ZERO, Duration.ZERO}, {Duration.ZERO, Duration.ZERO}};
    for (int i = 0; i < rounds; i++) {
      for (boolean judging : i % 2 == 0 ? List.of(false, true) : List.of(true, false)) {
        settled(s);
        List<Duration> before = cpu.map(TreeCpu::byRoot).orElse(List.of());
        (judging ? on : off).add(judging ? judged(ingest) : held(s, ingest));
        List<Duration> after = cpu.map(TreeCpu::byRoot).orElse(List.of());
        for (int r = 0; r < after.size(); r++) {
          Duration[] side = cpuUsed[judging ? 0 : 1];
          side[r] = side[r].plus(after.get(r).minus(before.get(r)));
        }
      }
    }
    LoadDriver.Result judged = ScaleProbes.merge(on);
    LoadDriver.Result held = ScaleProbes.merge(off);
    System.out.println("ingest, findings judging: " + judged);
    System.out.println("ingest, findings held off: " + held);
    double ratio = judged.perSecond() / held.perSecond();
    table.note(
        String.format(
            "findings: ingest of pushed events with the rules judging %.0f/s, held off %.0f/s"
                + " (loaded, 64 clients): ratio %.2f, target >= %.2f: %s",
            judged.perSecond(),
            held.perSecond(),
            ratio,
            TARGET,
            ratio >= TARGET ? "met" : "NOT met"));
    if (cpu.isPresent()) {
      table.note(cpuCost(cpuUsed[0], judged.total(), cpuUsed[1], held.total()));
    }
  }

  private LoadDriver.Result judged(LoadDriver.Target ingest) throws Exception {
    return driver.run(ingest, 64, Duration.ofSeconds(window));
  }

  /** A window with the judging turn held by the bench, so the server's worker judges nothing. */
  private LoadDriver.Result held(ScaleSide s, LoadDriver.Target ingest) throws Exception {
    try (Connection held = connect(s.owner());
        Statement st = held.createStatement()) {
      st.execute(HOLD);
      return driver.run(ingest, 64, Duration.ofSeconds(window));
    }
  }

  /**
   * What the rules cost in CPU: each side's CPU per call kept in its windows (this JVM, where the
   * load runs too, and the loaded side's Postgres).
   */
  private static String cpuCost(
      Duration[] judging, long judgedCalls, Duration[] held, long heldCalls) {
    double[] on = {micros(judging[0], judgedCalls), micros(judging[1], judgedCalls)};
    double[] off = {micros(held[0], heldCalls), micros(held[1], heldCalls)};
    double ratio = (off[0] + off[1]) / (on[0] + on[1]);
    return String.format(
        "findings: CPU per kept call (the bench's JVM + the loaded Postgres), judging %.0f + %.0f"
            + " µs, held off %.0f + %.0f µs: ratio %.2f (the rate a host bound by its CPU keeps"
            + " with the rules judging), target >= %.2f: %s",
        on[0], on[1], off[0], off[1], ratio, TARGET, ratio >= TARGET ? "met" : "NOT met");
  }

  private static double micros(Duration d, long calls) {
    return d.toNanos() / 1e3 / calls;
  }

  /** The loaded side's postmaster: the parent of a backend serving this connection. */
  private static ProcessHandle postmaster(ScaleSide s) throws Exception {
    try (Connection c = connect(s.owner());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      long backend = rs.getLong(1);
      return ProcessHandle.of(backend)
          .flatMap(ProcessHandle::parent)
          .orElseThrow(() -> new IllegalStateException("no postmaster above backend " + backend));
    }
  }

  /** {@code load} run with an {@code escape} call pushed every {@link #PROBE_EVERY_MILLIS}. */
  private LoadDriver.Result probed(ScaleSide s, String key, Load load) throws Exception {
    AtomicBoolean done = new AtomicBoolean();
    Thread prober =
        new Thread(
            () -> {
              while (!done.get()) {
                try {
                  probe(s, key);
                  Thread.sleep(PROBE_EVERY_MILLIS);
                } catch (InterruptedException e) {
                  return;
                } catch (Exception e) {
                  System.out.println("findings probe: " + e);
                }
              }
            },
            "findings-probe");
    prober.setDaemon(true);
    prober.start();
    try {
      return load.run();
    } finally {
      done.set(true);
      prober.join();
    }
  }

  @FunctionalInterface
  private interface Load {
    LoadDriver.Result run() throws Exception;
  }

  /** One {@code iam:CreateAccessKey} IAM refused, made with {@code key}, pushed now. */
  private void probe(ScaleSide s, String key) throws Exception {
    String id = UUID.randomUUID().toString();
    String body =
        EventBridgeDeliveries.of(
            CloudTrailEvent.builder("iam.amazonaws.com", "CreateAccessKey")
                .eventId(id)
                .time(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .region("us-east-1")
                .accessKeyId(key)
                .assumedRole("bench", "stint-bench")
                .parameter("userName", "bench-backdoor")
                .errorCode("AccessDenied")
                .build(),
            ScaleUse.ACCOUNT);
    sent.put(id, Instant.now());
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(s.uri(IngestRoutes.PATH))
                .header("Authorization", "Bearer " + ScaleUse.INGEST_TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 204) {
      sent.remove(id);
      throw new IllegalStateException("ingest answered " + r.statusCode() + ": " + r.body());
    }
  }

  /** Each probe's time from its push to its finding, in ms, waiting for all (two minutes). */
  private List<Long> latencies(ScaleSide s, List<String> ids) throws Exception {
    Instant until = Instant.now().plusSeconds(120);
    Map<String, Instant> raised = Map.of();
    while (raised.size() < ids.size() && Instant.now().isBefore(until)) {
      raised = raised(s, ids);
      if (raised.size() < ids.size()) {
        Thread.sleep(500);
      }
    }
    List<Long> out = new ArrayList<>();
    for (Map.Entry<String, Instant> e : raised.entrySet()) {
      out.add(Duration.between(sent.get(e.getKey()), e.getValue()).toMillis());
    }
    if (raised.size() < ids.size()) {
      table.note("findings: " + (ids.size() - raised.size()) + " probes raised nothing in 2 min");
    }
    return out.stream().sorted().toList();
  }

  private static Map<String, Instant> raised(ScaleSide s, List<String> ids) throws Exception {
    try (Connection c = connect(s.owner());
        PreparedStatement p =
            c.prepareStatement(
                "SELECT events->0->>'event_id', raised_at FROM findings"
                    + " WHERE rule = 'escape' AND events->0->>'event_id' = ANY(?)")) {
      Array array = c.createArrayOf("text", ids.toArray());
      p.setArray(1, array);
      Map<String, Instant> out = new ConcurrentHashMap<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getTimestamp(2).toInstant());
        }
      }
      return out;
    }
  }

  /** Waits until no kept call waits to be judged (five minutes at most). */
  /** The queue drained, vacuumed, and a checkpoint taken: see the class's comment. */
  private static void settled(ScaleSide s) throws Exception {
    drained(s);
    try (Connection c = connect(s.superuser());
        Statement st = c.createStatement()) {
      st.execute("VACUUM finding_queue");
      st.execute("CHECKPOINT");
    }
  }

  private static void drained(ScaleSide s) throws Exception {
    Instant until = Instant.now().plusSeconds(300);
    try (Connection c = connect(s.owner());
        Statement st = c.createStatement()) {
      while (Instant.now().isBefore(until)) {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM finding_queue")) {
          rs.next();
          if (rs.getLong(1) == 0) {
            return;
          }
        }
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("the findings' queue did not drain in five minutes");
  }

  private static String summary(List<Long> millis) {
    if (millis.isEmpty()) {
      return "no probe raised a finding";
    }
    return String.format(
        "%d probes: p50 %d ms, p90 %d ms, p99 %d ms, max %d ms (target: within 5 s)",
        millis.size(),
        at(millis, 0.50),
        at(millis, 0.90),
        at(millis, 0.99),
        millis.get(millis.size() - 1));
  }

  private static long at(List<Long> sorted, double q) {
    return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
  }

  private static Connection connect(DatabaseUrl o) throws Exception {
    return DriverManager.getConnection(o.jdbcUrl(), o.user(), o.password());
  }
}
