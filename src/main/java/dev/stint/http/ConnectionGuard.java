package dev.stint.http;

import dev.stint.config.StintConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds what a client can hold: at most {@code maxConnections} open connections (counted across
 * every listener and event loop; new ones beyond it are closed at once), no connection idle for
 * longer than {@code idleTimeout}, and no request that takes longer than {@code readTimeout} to
 * arrive — so a client dripping a request a byte at a time (which keeps the connection from ever
 * being idle) is cut off too.
 */
public final class ConnectionGuard {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

  /** The limits; see the configuration keys {@code http.*} for their defaults. */
  public record Limits(Duration idleTimeout, Duration readTimeout, int maxConnections) {}

  private final Limits limits;
  private final AtomicInteger open = new AtomicInteger();
  private final RefusedConnections refusals = new RefusedConnections(System::nanoTime);

  /** Each entry is touched only from its connection's event loop. */
  private final Map<HttpConnection, Watch> watches = new ConcurrentHashMap<>();

  public ConnectionGuard(Limits limits) {
    this.limits = limits;
  }

  /** The guard the configuration asks for. */
  public static ConnectionGuard of(StintConfig.HttpConfig http) {
    return new ConnectionGuard(
        new Limits(http.idleTimeout(), http.readTimeout(), http.maxConnections()));
  }

  /** {@code stint_http_connections_refused_total} for this listener: closed at the cap. */
  public ConnectionGuard publish(MeterRegistry registry, String listener) {
    FunctionCounter.builder(
            "stint_http_connections_refused_total", refusals, RefusedConnections::total)
        .description("Connections closed at once because http.max_connections were open")
        .tag("listener", listener)
        .register(registry);
    return this;
  }

  /** The idle timeout, applied by the server itself to every connection. */
  public HttpServerOptions apply(HttpServerOptions options) {
    return options
        .setIdleTimeout((int) limits.idleTimeout().toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  /** The connections open now (for tests and metrics). */
  public int openConnections() {
    return open.get();
  }

  /**
   * Counts a new connection; closes it when over the cap, else starts its read deadline. Called on
   * the connection's event loop.
   */
  public void accepted(Vertx vertx, HttpConnection connection) {
    if (open.incrementAndGet() > limits.maxConnections()) {
      open.decrementAndGet();
      long unreported = refusals.refused();
      if (unreported > 0) {
        LOG.warn(
            "connection from {} refused: {} connections are open (http.max_connections);"
                + " {} refused since the last such line (written at most every {}s)",
            connection.remoteAddress(),
            limits.maxConnections(),
            unreported,
            RefusedConnections.LINE_EVERY.toSeconds());
      }
      connection.close();
      return;
    }
    Watch watch = new Watch(vertx, connection);
    connection.closeHandler(
        v -> {
          open.decrementAndGet();
          watch.cancel();
          watches.remove(connection);
        });
    watches.put(connection, watch);
    watch.awaitRequest(limits.readTimeout());
  }

  /** A request's head has arrived; its body must follow within the read timeout. */
  public void requestStarted(HttpServerRequest request) {
    Watch watch = watches.get(request.connection());
    if (watch != null) {
      watch.started(request, limits.readTimeout());
    }
  }

  /**
   * A request was answered. Once nothing is in flight the next request's head must arrive within
   * the idle timeout: bytes trickling in do not reset it as they reset the idle timer.
   */
  public void answered(HttpServerRequest request) {
    Watch watch = watches.get(request.connection());
    if (watch != null) {
      watch.answered(limits.idleTimeout());
    }
  }

  /** One connection's deadline: armed while a request is awaited or still arriving. */
  private static final class Watch {
    private final Vertx vertx;
    private final HttpConnection connection;
    private int inFlight;
    private long timer = -1;

    Watch(Vertx vertx, HttpConnection connection) {
      this.vertx = vertx;
      this.connection = connection;
    }

    void awaitRequest(Duration within) {
      arm(within, "no complete request");
    }

    void started(HttpServerRequest request, Duration within) {
      inFlight++;
      cancel();
      if (request.isEnded()) {
        return;
      }
      long body =
          vertx.setTimer(
              within.toMillis(),
              t -> {
                if (!request.isEnded()) {
                  LOG.info(
                      "closing connection from {}: request body not received in {}",
                      connection.remoteAddress(),
                      within);
                  connection.close();
                }
              });
      request.end().onComplete(done -> vertx.cancelTimer(body));
    }

    void answered(Duration within) {
      inFlight = Math.max(0, inFlight - 1);
      if (inFlight == 0) {
        arm(within, "no next request");
      }
    }

    private void arm(Duration within, String why) {
      cancel();
      timer =
          vertx.setTimer(
              within.toMillis(),
              t -> {
                timer = -1;
                if (inFlight == 0) {
                  LOG.info(
                      "closing connection from {}: {} in {}",
                      connection.remoteAddress(),
                      why,
                      within);
                  connection.close();
                }
              });
    }

    void cancel() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }
  }
}
