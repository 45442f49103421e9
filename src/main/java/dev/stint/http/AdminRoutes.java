package dev.stint.http;

import dev.stint.access.Decisions;
import dev.stint.error.StintException;
import dev.stint.outbox.Outbox;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/admin/outbox} (side effects not yet delivered: pending and dead) and {@code POST
 * /v1/admin/outbox/{id}/retry} (put one back in line), for the policy's admins.
 */
public final class AdminRoutes implements ApiModule {
  private static final int LIMIT = 500;
  private final Decisions outbox;

  public AdminRoutes(Decisions outbox) {
    this.outbox = outbox;
  }

  @Override
  public void register(Router v1) {
    v1.get("/admin/outbox").handler(this::list);
    v1.post("/admin/outbox/:id/retry").handler(this::retry);
  }

  private void list(RoutingContext ctx) {
    outbox
        .undelivered(RequestRoutes.caller(ctx), LIMIT)
        .onComplete(
            done -> {
              if (done.failed()) {
                ctx.fail(done.cause());
                return;
              }
              JsonArray entries = new JsonArray();
              done.result().forEach(e -> entries.add(json(e)));
              ctx.json(new JsonObject().put("entries", entries));
            });
  }

  private void retry(RoutingContext ctx) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      ctx.fail(StintException.invalid("an outbox id is a number"));
      return;
    }
    outbox
        .retryDelivery(RequestRoutes.caller(ctx), id)
        .onComplete(
            done -> {
              if (done.failed()) {
                ctx.fail(done.cause());
              } else {
                ctx.json(json(done.result()));
              }
            });
  }

  static JsonObject json(Outbox.Entry e) {
    return new JsonObject()
        .put("id", e.id())
        .put("listener", e.listener())
        .put("event", e.event())
        .put("request_id", e.requestId())
        .put("state", e.state())
        .put("attempts", e.attempts())
        .put("next_attempt_at", e.nextAttemptAt().toString())
        .put("last_error", e.lastError().orElse(null))
        .put("created_at", e.createdAt().toString())
        .put("ended_at", e.doneAt().map(Object::toString).orElse(null));
  }
}
