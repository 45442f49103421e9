package dev.stint.app;

import static dev.stint.app.BootSteps.rootMessage;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's stop, the reverse of its start: HTTP first (in-flight requests finish), then the
 * outbox deliveries under way, then the audit writer drains; then Vert.x with its pools and, last,
 * every resource in the reverse of the order it started in (the embedded Postgres among the last).
 */
final class StopOrder {
  // The server's log lines keep the name they have always had, whichever part writes them.
  private static final Logger LOG = LoggerFactory.getLogger(StopOrder.class);

  /**
   * The parts that drain before Vert.x closes; any of them is null when the boot failed before it.
   */
  record Draining(SlackWiring slack, HttpListeners http, AccessWiring access, AuditWiring audit) {}

  private final long waitMs;

  StopOrder(Duration shutdownTimeout) {
    this.waitMs = shutdownTimeout.toMillis() + 5_000;
  }

  /** Stops what started; vertx is null when the boot failed before it. */
  void stop(Vertx vertx, Draining draining, List<AutoCloseable> resources) {
    if (vertx != null) {
      LOG.info("stopping: finishing in-flight requests");
      stopHttpThenAudit(draining);
      // Closing Vert.x undeploys the HTTP verticles (each drains its requests) and the pool.
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(waitMs, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        LOG.warn("vert.x did not stop cleanly: {}", rootMessage(e));
      }
    }
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        LOG.warn(
            "could not stop {}: {}", resources.get(i).getClass().getSimpleName(), rootMessage(e));
      }
    }
    LOG.info("stopped");
  }

  /**
   * In-flight requests finish, then the outbox deliveries under way (both append audit events),
   * before the writer drains.
   */
  private void stopHttpThenAudit(Draining draining) {
    if (draining.slack() != null) {
      // Clicks over Socket Mode stop with the HTTP ones; the envelopes Slack then sends go to the
      // other replicas' connections.
      draining.slack().stopSocket();
    }
    try {
      if (draining.http() != null) {
        draining.http().stop(waitMs);
      }
      if (draining.access() != null) {
        draining
            .access()
            .stopDeliveries()
            .toCompletionStage()
            .toCompletableFuture()
            .get(waitMs, TimeUnit.MILLISECONDS);
      }
      AuditWiring audit = draining.audit();
      if (audit != null && audit.log() != null) {
        audit
            .log()
            .close()
            .toCompletionStage()
            .toCompletableFuture()
            .get(waitMs, TimeUnit.MILLISECONDS);
      }
      if (audit != null && audit.live() != null) {
        audit.live().close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      LOG.warn("http or audit did not stop cleanly: {}", rootMessage(e));
    }
  }
}
