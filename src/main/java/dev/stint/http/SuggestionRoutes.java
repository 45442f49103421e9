package dev.stint.http;

import dev.stint.error.StintException;
import dev.stint.rightsize.Suggestion;
import dev.stint.rightsize.Suggestions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;

/**
 * {@code GET /v1/profiles/{name}/suggestion?since=90d} (docs/api.md): the session policy a
 * profile's own allowed calls show it needs, proven within today's and covering every call, and
 * what today's allows that nobody used; for the policy's auditors and admins ({@link Suggestions}
 * refuses and records anyone else before reading the query).
 */
public final class SuggestionRoutes implements ApiModule {
  private final Suggestions suggestions;
  private final Clock clock;

  public SuggestionRoutes(Suggestions suggestions, Clock clock) {
    this.suggestions = suggestions;
    this.clock = clock;
  }

  @Override
  public void register(Router v1) {
    v1.get("/profiles/:name/suggestion").handler(this::suggestion);
  }

  private void suggestion(RoutingContext ctx) {
    suggestions
        .of(
            RequestRoutes.caller(ctx),
            ctx.pathParam("name"),
            () -> AuditRoutes.instant("since", since(ctx), clock.instant()))
        .onSuccess(s -> ctx.json(json(s)))
        .onFailure(ctx::fail);
  }

  private static String since(RoutingContext ctx) {
    List<String> given = ctx.queryParam("since");
    if (given.size() > 1) {
      throw StintException.invalid("since is given more than once");
    }
    return given.isEmpty() || given.get(0).isBlank() ? Suggestions.DEFAULT_SINCE : given.get(0);
  }

  /** The answer's body; the web page and the CLI read the same fields. */
  public static JsonObject json(Suggestion s) {
    JsonArray observed = new JsonArray();
    s.observed()
        .forEach(
            o ->
                observed.add(
                    new JsonObject()
                        .put("action", o.action())
                        .put("count", o.count())
                        .put("resources", new JsonArray(o.resources()))
                        .put("last_seen", o.lastSeen().toString())));
    return new JsonObject()
        .put("profile", s.profile())
        .put("since", s.since().toString())
        .put("grants", s.grants())
        .put("calls", s.calls())
        .put("observed", observed)
        .put("suggested_policy", s.suggestedDocument().map(JsonObject::new).orElse(null))
        .put("today_policy", s.today().map(t -> document(new JsonArray(t))).orElse(null))
        .put("contained", s.contained().proven())
        .put("contained_why", s.contained().why().orElse(null))
        .put("covers_observed", s.coversObserved().proven())
        .put("covers_observed_why", s.coversObserved().why().orElse(null))
        .put("unused", new JsonArray(s.unused()))
        .put("empty", s.empty())
        .put("notes", new JsonArray(s.notes()));
  }

  private static JsonObject document(JsonArray statements) {
    return new JsonObject().put("Version", "2012-10-17").put("Statement", statements);
  }
}
