package dev.stint.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.concurrent.TimeUnit;

/**
 * An event loop that only the audit writer uses. Every issuance waits for its audit commit, and a
 * batch takes several round trips to Postgres; on an event loop shared with HTTP, each answer would
 * wait behind whatever requests that loop has queued, so under load a batch took many times a bare
 * commit and every issuance waiting on it paid that, most of all in the tail. Its own thread is
 * woken as soon as Postgres answers. (Vert.x offers no way to keep one loop of a shared group away
 * from HTTP, hence a second, one-loop Vert.x.)
 */
final class AuditLoop implements AutoCloseable {
  private final Vertx vertx;

  /** Its pools show in {@code registry} like the main Vert.x's. */
  AuditLoop(MeterRegistry registry) {
    this.vertx =
        Vertx.builder()
            .with(
                new VertxOptions()
                    .setEventLoopPoolSize(1)
                    .setWorkerPoolSize(1)
                    .setInternalBlockingPoolSize(1)
                    .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
            .withMetrics(new MicrometerMetricsFactory(registry))
            .build();
  }

  Vertx vertx() {
    return vertx;
  }

  /** After the writer has drained (the server stops it before closing resources). */
  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
