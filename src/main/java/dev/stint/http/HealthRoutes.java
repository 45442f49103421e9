package dev.stint.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/** {@code /healthz} (the process serves) and {@code /readyz} (it can do useful work). */
public final class HealthRoutes implements RouteModule {
  private final List<ReadinessCheck> checks;

  public HealthRoutes(List<ReadinessCheck> checks) {
    this.checks = List.copyOf(checks);
  }

  @Override
  public void register(Router router) {
    router.get("/healthz").handler(this::healthz);
    router.get("/readyz").handler(this::readyz);
  }

  private void healthz(RoutingContext ctx) {
    ctx.json(new JsonObject().put("status", "ok"));
  }

  private void readyz(RoutingContext ctx) {
    JsonObject results = new JsonObject();
    List<Future<Void>> running = new ArrayList<>();
    for (ReadinessCheck check : checks) {
      running.add(
          check
              .check()
              .get()
              .onSuccess(ok -> results.put(check.name(), "ok"))
              .recover(
                  e -> {
                    results.put(check.name(), e.getMessage() == null ? "failed" : e.getMessage());
                    return Future.failedFuture(e);
                  }));
    }
    Future.join(running)
        .onComplete(
            done -> {
              boolean ready = done.succeeded();
              ctx.response().setStatusCode(ready ? 200 : 503);
              ctx.json(
                  new JsonObject()
                      .put("status", ready ? "ready" : "unavailable")
                      .put("checks", results));
            });
  }
}
