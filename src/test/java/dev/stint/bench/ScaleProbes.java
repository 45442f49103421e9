package dev.stint.bench;

import static dev.stint.testing.AuditTables.await;

import dev.stint.audit.ChainVerifier;
import dev.stint.testing.AuditTables;
import dev.stint.testing.LoadDriver;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The growth bench's measurements that are not closed-loop HTTP load. */
final class ScaleProbes {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ScaleProbes() {}

  /** One timed action and what it covered (events walked, for the verifier). */
  record Timed(double millis, long events, boolean ok) {
    double eventsPerSecond() {
      return events / (millis / 1e3);
    }
  }

  /** Several windows of one side as one result: all their requests and latencies together. */
  static LoadDriver.Result merge(List<LoadDriver.Result> windows) {
    Map<Integer, Long> statuses = new TreeMap<>();
    long failures = 0;
    Duration elapsed = Duration.ZERO;
    List<long[]> all = new ArrayList<>();
    int n = 0;
    for (LoadDriver.Result w : windows) {
      w.byStatus().forEach((k, v) -> statuses.merge(k, v, Long::sum));
      failures += w.failures();
      elapsed = elapsed.plus(w.elapsed());
      all.add(w.sortedLatencyNanos());
      n += w.sortedLatencyNanos().length;
    }
    long[] latencies = new long[n];
    int at = 0;
    for (long[] a : all) {
      System.arraycopy(a, 0, latencies, at, a.length);
      at += a.length;
    }
    Arrays.sort(latencies);
    return new LoadDriver.Result(windows.get(0).clients(), elapsed, statuses, failures, latencies);
  }

  /**
   * An audit stream resumed {@code behind} events back: from the request until the event that was
   * the head when it was sent has arrived (the replay from the table, not the live tail).
   */
  static Timed sseCatchUp(ScaleSide side, String token, long head, long behind) throws Exception {
    long from = Math.max(0, head - behind);
    HttpRequest request =
        HttpRequest.newBuilder(side.uri("/v1/events"))
            .header("Authorization", "Bearer " + token)
            .header("Last-Event-ID", Long.toString(from))
            .timeout(Duration.ofMinutes(2))
            .GET()
            .build();
    long start = System.nanoTime();
    HttpResponse<InputStream> r = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET /v1/events answered " + r.statusCode());
    }
    long seen = 0;
    try (InputStream in = r.body();
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith("id: ")) {
          seen++;
          if (Long.parseLong(line.substring(4)) >= head) {
            break;
          }
        }
      }
    }
    return new Timed((System.nanoTime() - start) / 1e6, seen, seen == head - from);
  }

  /** {@code GET /v1/audit/verify}: the whole chain, walked by the server. */
  static Timed fullVerify(ScaleSide side, String token) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(side.uri("/v1/audit/verify"))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofMinutes(15))
            .GET()
            .build();
    long start = System.nanoTime();
    HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    double ms = (System.nanoTime() - start) / 1e6;
    if (r.statusCode() != 200) {
      throw new IllegalStateException(
          "GET /v1/audit/verify answered " + r.statusCode() + ": " + r.body());
    }
    JsonObject body = new JsonObject(r.body());
    if (!body.getBoolean("ok")) {
      System.out.println("verify on " + side.name + " FAILED: " + r.body());
    }
    return new Timed(ms, body.getLong("count"), body.getBoolean("ok"));
  }

  /**
   * The server's verifier started at a checkpointed position {@code n} events before the head, as
   * an incremental verify starts at the newest signed checkpoint: it checks that row against the
   * hash the checkpoint holds and walks only what came after.
   */
  static Timed incrementalVerify(ScaleSide side, long n) throws Exception {
    Object[] head = side.head();
    long from = Math.max(1, (Long) head[0] - n);
    String hash =
        AuditTables.strings(side.owner(), "SELECT hash FROM audit_events WHERE seq = " + from)
            .get(0);
    ChainVerifier.Expected expected =
        new ChainVerifier.Expected(
            Collections.emptyNavigableMap(), Optional.of(Map.entry(from, hash)));
    long start = System.nanoTime();
    ChainVerifier.Result r = await(new ChainVerifier(side.pool.pool()).verify(expected));
    return new Timed((System.nanoTime() - start) / 1e6, r.count(), r.ok());
  }

  static double median(List<Timed> runs) {
    double[] ms = runs.stream().mapToDouble(Timed::millis).sorted().toArray();
    return ms[ms.length / 2];
  }
}
