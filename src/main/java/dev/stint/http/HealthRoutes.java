package dev.stint.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /healthz} (the process serves) and {@code /readyz} (it can do useful work). {@code
 * /readyz} answers within {@link #CHECK_DEADLINE}: a check that has not answered by then (a
 * database whose address went silent, say) says "timed out", and the server is not ready. Beside
 * the checks, {@code warnings} names what is wrong without making the server unready, and is absent
 * when nothing is.
 */
public final class HealthRoutes implements RouteModule {
  /** Longer than any check's own deadline (the database's ping: 2 s), so theirs speak first. */
  static final Duration CHECK_DEADLINE = Duration.ofSeconds(3);

  static final String TIMED_OUT = "timed out";

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

  /** The check's outcome, or {@link #TIMED_OUT} once {@link #CHECK_DEADLINE} has passed. */
  private static Future<Void> within(RoutingContext ctx, Future<Void> check) {
    Promise<Void> outcome = Promise.promise();
    long timer = ctx.vertx().setTimer(CHECK_DEADLINE.toMillis(), t -> outcome.tryFail(TIMED_OUT));
    check.onComplete(
        done -> {
          ctx.vertx().cancelTimer(timer);
          if (done.succeeded()) {
            outcome.tryComplete();
          } else {
            outcome.tryFail(done.cause());
          }
        });
    return outcome.future();
  }

  private JsonObject warnings() {
    JsonObject warnings = new JsonObject();
    for (ReadinessCheck check : checks) {
      check.warning().get().ifPresent(w -> warnings.put(check.name(), w));
    }
    return warnings;
  }

  private void readyz(RoutingContext ctx) {
    JsonObject results = new JsonObject();
    List<Future<Void>> running = new ArrayList<>();
    for (ReadinessCheck check : checks) {
      running.add(
          within(ctx, check.check().get())
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
              JsonObject body =
                  new JsonObject()
                      .put("status", ready ? "ready" : "unavailable")
                      .put("checks", results);
              JsonObject warnings = warnings();
              if (!warnings.isEmpty()) {
                body.put("warnings", warnings);
              }
              ctx.json(body);
            });
  }
}
