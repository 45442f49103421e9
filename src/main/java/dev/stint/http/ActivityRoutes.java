package dev.stint.http;

import dev.stint.access.Requests;
import dev.stint.activity.ActivityEvent;
import dev.stint.activity.ActivitySummary;
import dev.stint.activity.GrantActivity;
import dev.stint.activity.Visibility;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code GET /v1/requests/{id}/activity}: what the request's credentials were used for, from the
 * cloud's own logs, for whoever may see the request (docs/api.md).
 */
public final class ActivityRoutes implements ApiModule {
  private final Requests requests;
  private final GrantActivity activity;

  public ActivityRoutes(Requests requests, GrantActivity activity) {
    this.requests = requests;
    this.activity = activity;
  }

  @Override
  public void register(Router v1) {
    v1.get("/requests/:id/activity").handler(this::activity);
  }

  private void activity(RoutingContext ctx) {
    Optional<String> cursor = Optional.ofNullable(ctx.request().getParam("cursor"));
    requests
        .get(RequestRoutes.caller(ctx), ctx.pathParam("id"))
        .compose(r -> activity.of(r.id(), cursor))
        .onSuccess(view -> ctx.json(json(view)))
        .onFailure(ctx::fail);
  }

  static JsonObject json(GrantActivity.View view) {
    JsonArray events = new JsonArray();
    view.events().forEach(e -> events.add(json(e)));
    JsonArray sources = new JsonArray();
    view.sources()
        .forEach(
            s ->
                sources.add(
                    new JsonObject()
                        .put("name", s.name())
                        .put("checked_at", s.checkedAt().map(Instant::toString).orElse(null))));
    JsonObject out =
        new JsonObject()
            .put("summary", json(view.summary()).put("unused", view.unused()))
            .put("visibility", json(view.visibility()))
            .put("events", events)
            .put("sources", sources);
    view.nextCursor().ifPresent(c -> out.put("next_cursor", c));
    return out;
  }

  private static JsonObject json(ActivitySummary s) {
    return new JsonObject()
        .put("calls", s.calls())
        .put("errors", s.errors())
        .put("services", new JsonObject(new TreeMap<String, Object>(s.services())))
        .put("first_at", s.firstAt().map(Instant::toString).orElse(null))
        .put("last_at", s.lastAt().map(Instant::toString).orElse(null));
  }

  /** What stint can see of the calls: each kind by its code, and the words for a person. */
  static JsonObject json(Visibility v) {
    JsonArray seen = new JsonArray();
    v.seen().forEach(x -> seen.add(x.code()));
    JsonArray unseen = new JsonArray();
    v.unseen().forEach(x -> unseen.add(x.code()));
    return new JsonObject()
        .put("whole", v.whole())
        .put("seen", seen)
        .put("unseen", unseen)
        .put("accounts_without_data_events", new JsonArray(v.silentAccounts()))
        .put("says", v.says());
  }

  private static JsonObject json(ActivityEvent e) {
    return new JsonObject()
        .put("time", e.time().toString())
        .put("credential_id", e.credentialId())
        .put("access_key_id", e.accessKeyId().orElse(null))
        .put("event_source", e.eventSource())
        .put("event_name", e.eventName())
        .put("aws_region", e.region())
        .put("source_ip", e.sourceIp().orElse(null))
        .put("error_code", e.errorCode().orElse(null));
  }
}
