package dev.stint.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;

/** {@code /metrics} in the Prometheus text format. */
public final class MetricsRoutes implements RouteModule {
  private final PrometheusMeterRegistry registry;

  public MetricsRoutes(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void register(Router router) {
    // Scraping walks every meter; keep it off the event loop.
    router.get("/metrics").blockingHandler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(registry.scrape()), false);
  }
}
