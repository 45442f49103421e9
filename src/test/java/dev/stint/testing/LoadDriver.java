package dev.stint.testing;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Closed-loop HTTP load: N clients, each sending its next request as soon as the previous one
 * answered, for a bounded time. Counts answers by status (and transport failures), and keeps every
 * latency so percentiles are exact. Runs on one event loop of its own: the driver should cost the
 * machine as little as possible, since it shares the CPU with the server it measures.
 */
public final class LoadDriver implements AutoCloseable {
  /**
   * One request shape, sent by every client: the same {@code body} each time, or, when {@code
   * bodies} is given, a new one from it for each request (events that must each be new).
   */
  public record Target(
      HttpMethod method,
      URI uri,
      Map<String, String> headers,
      String body,
      Supplier<String> bodies) {
    public Target(HttpMethod method, URI uri, Map<String, String> headers, String body) {
      this(method, uri, headers, body, null);
    }

    public static Target get(URI uri) {
      return new Target(HttpMethod.GET, uri, Map.of(), null);
    }

    public static Target get(URI uri, String bearer) {
      return new Target(HttpMethod.GET, uri, Map.of("Authorization", "Bearer " + bearer), null);
    }

    public static Target postJson(URI uri, String bearer, String json) {
      return new Target(
          HttpMethod.POST,
          uri,
          Map.of("Authorization", "Bearer " + bearer, "Content-Type", "application/json"),
          json);
    }

    /** A POST of JSON whose body {@code bodies} makes anew for each request. */
    public static Target postEach(URI uri, Map<String, String> headers, Supplier<String> bodies) {
      Map<String, String> all = new TreeMap<>(headers);
      all.put("Content-Type", "application/json");
      return new Target(HttpMethod.POST, uri, all, null, bodies);
    }
  }

  /** What a run saw. {@code failures} are requests that got no HTTP answer at all. */
  public record Result(
      int clients,
      Duration elapsed,
      Map<Integer, Long> byStatus,
      long failures,
      long[] sortedLatencyNanos) {
    public long total() {
      return byStatus.values().stream().mapToLong(Long::longValue).sum() + failures;
    }

    public long count(int status) {
      return byStatus.getOrDefault(status, 0L);
    }

    public double perSecond() {
      return total() / (elapsed.toNanos() / 1e9);
    }

    /** Latency at quantile q (0..1) of the answered requests, in milliseconds. */
    public double percentileMillis(double q) {
      if (sortedLatencyNanos.length == 0) {
        return Double.NaN;
      }
      int i = (int) Math.ceil(q * sortedLatencyNanos.length) - 1;
      return sortedLatencyNanos[Math.max(0, Math.min(i, sortedLatencyNanos.length - 1))] / 1e6;
    }

    @Override
    public String toString() {
      return String.format(
          "%d clients: %d requests in %.1f s = %.0f/s, p50 %.1f ms, p99 %.1f ms,"
              + " statuses %s, failures %d",
          clients,
          total(),
          elapsed.toNanos() / 1e9,
          perSecond(),
          percentileMillis(0.5),
          percentileMillis(0.99),
          byStatus,
          failures);
    }
  }

  private final Vertx vertx =
      Vertx.vertx(
          new VertxOptions()
              .setEventLoopPoolSize(1)
              .setWorkerPoolSize(1)
              .setInternalBlockingPoolSize(1));

  /** Runs {@code clients} closed loops against {@code target} for {@code duration}. */
  public Result run(Target target, int clients, Duration duration) throws Exception {
    HttpClient http =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout(5_000)
                .setIdleTimeout(30)
                .setIdleTimeoutUnit(TimeUnit.SECONDS),
            new PoolOptions().setHttp1MaxSize(clients));
    Run run = new Run(target, http, System.nanoTime() + duration.toNanos(), clients);
    long start = System.nanoTime();
    vertx.runOnContext(
        v -> {
          for (int i = 0; i < clients; i++) {
            run.next();
          }
        });
    // A request stuck past its timeout still ends the run: the timeout bounds the wait.
    if (!run.done.await(duration.toMillis() + 60_000, TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("load run did not finish");
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    http.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    return run.result(elapsed);
  }

  /** State of one run; touched only on the driver's single event loop. */
  private static final class Run {
    final Target target;
    final HttpClient http;
    final long deadline;
    final int clients;
    final CountDownLatch done;
    final Map<Integer, Long> byStatus = new TreeMap<>();
    final Buffer body;
    long failures;
    long[] latencies = new long[1 << 14];
    int recorded;

    Run(Target target, HttpClient http, long deadline, int clients) {
      this.target = target;
      this.http = http;
      this.deadline = deadline;
      this.clients = clients;
      this.done = new CountDownLatch(clients);
      this.body = target.body() == null ? null : Buffer.buffer(target.body());
    }

    void next() {
      if (System.nanoTime() >= deadline) {
        done.countDown();
        return;
      }
      long sent = System.nanoTime();
      RequestOptions options =
          new RequestOptions()
              .setMethod(target.method())
              .setAbsoluteURI(target.uri().toString())
              .setIdleTimeout(30_000);
      target.headers().forEach(options::putHeader);
      Buffer payload = target.bodies() == null ? body : Buffer.buffer(target.bodies().get());
      http.request(options)
          .compose(req -> payload == null ? req.send() : req.send(payload))
          .compose(resp -> resp.body().map(b -> resp.statusCode()))
          .onComplete(
              ar -> {
                if (ar.succeeded()) {
                  byStatus.merge(ar.result(), 1L, Long::sum);
                  record(System.nanoTime() - sent);
                } else {
                  failures++;
                }
                next();
              });
    }

    void record(long nanos) {
      if (recorded == latencies.length) {
        latencies = Arrays.copyOf(latencies, latencies.length * 2);
      }
      latencies[recorded++] = nanos;
    }

    Result result(Duration elapsed) {
      long[] sorted = Arrays.copyOf(latencies, recorded);
      Arrays.sort(sorted);
      return new Result(clients, elapsed, Map.copyOf(byStatus), failures, sorted);
    }
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }
}
