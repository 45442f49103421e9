package dev.stint.http;

import dev.stint.access.Action;
import dev.stint.access.Vote;
import dev.stint.common.TextLimits;
import dev.stint.error.StintException;
import dev.stint.extension.Extended;
import dev.stint.extension.Extension;
import dev.stint.extension.ExtensionCursor;
import dev.stint.extension.Extensions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /v1/requests/{id}/extend {duration_seconds, reason}} asks to lengthen the request's
 * active grant; {@code POST /v1/extensions/{id}/approve|deny|cancel {comment?}} decides; {@code GET
 * /v1/extensions?state=pending} lists what the caller may see. {@code 201} with the extension
 * ({@code state: approved} and the grant's new end when approved at once).
 */
public final class ExtensionRoutes implements ApiModule {
  private static final Set<String> EXTEND_FIELDS = Set.of("duration_seconds", "reason");
  private static final Set<String> DECISION_FIELDS = Set.of("comment");
  private final Extensions extensions;
  private final CursorSeal cursors;

  public ExtensionRoutes(Extensions extensions, CursorSeal cursors) {
    this.extensions = extensions;
    this.cursors = cursors;
  }

  @Override
  public void register(Router v1) {
    v1.post("/requests/:id/extend").handler(this::extend);
    v1.get("/extensions").handler(this::list);
    for (Action action : Set.of(Action.APPROVE, Action.DENY, Action.CANCEL)) {
      v1.post("/extensions/:id/" + action.code()).handler(ctx -> decide(ctx, action));
    }
  }

  private void extend(RoutingContext ctx) {
    JsonBodies body = JsonBodies.read(ctx, EXTEND_FIELDS);
    long seconds = body.requiredLong("duration_seconds");
    if (seconds <= 0 || seconds > Duration.ofDays(366).toSeconds()) {
      throw StintException.invalid("'duration_seconds' must be a positive number of seconds");
    }
    String reason = body.optionalString("reason").orElse("").strip();
    if (reason.length() > TextLimits.MAX_TEXT) {
      throw StintException.invalid("reason is longer than " + TextLimits.MAX_TEXT + " characters");
    }
    extensions
        .extend(RequestRoutes.caller(ctx), ctx.pathParam("id"), Duration.ofSeconds(seconds), reason)
        .onComplete(
            done -> {
              if (done.failed()) {
                ctx.fail(done.cause());
                return;
              }
              ctx.response().setStatusCode(201);
              ctx.json(json(done.result()));
            });
  }

  /**
   * {@code GET /v1/extensions?state=pending&limit=N&cursor=C}: what approvers have to decide,
   * newest first, a page at a time ({@code next_cursor} while more remain).
   */
  private void list(RoutingContext ctx) {
    String state = ctx.queryParams().get("state");
    if (state != null && !state.isBlank() && !state.equals("pending")) {
      throw StintException.invalid("state may only be 'pending' (or left out for all)");
    }
    boolean pending = "pending".equals(state);
    Optional<ExtensionCursor> after =
        Optional.ofNullable(ctx.queryParams().get("cursor"))
            .map(c -> ExtensionCursor.parse(cursors.open(c)));
    extensions
        .list(RequestRoutes.caller(ctx), pending, RequestRoutes.limit(ctx), after)
        .map(
            page -> {
              JsonArray out = new JsonArray();
              page.extensions().forEach(x -> out.add(json(x)));
              JsonObject body = new JsonObject().put("extensions", out);
              page.next().ifPresent(c -> body.put("next_cursor", cursors.seal(c.encode())));
              return body;
            })
        .onComplete(
            done -> {
              if (done.failed()) {
                ctx.fail(done.cause());
              } else {
                ctx.json(done.result());
              }
            });
  }

  private void decide(RoutingContext ctx, Action action) {
    Optional<String> comment =
        JsonBodies.read(ctx, DECISION_FIELDS)
            .optionalString("comment")
            .map(String::strip)
            .filter(c -> !c.isEmpty());
    if (comment.map(c -> c.length() > TextLimits.MAX_TEXT).orElse(false)) {
      throw StintException.invalid("comment is longer than " + TextLimits.MAX_TEXT + " characters");
    }
    extensions
        .decide(RequestRoutes.caller(ctx), ctx.pathParam("id"), action, comment)
        .onComplete(
            done -> {
              if (done.failed()) {
                ctx.fail(done.cause());
              } else {
                ctx.json(json(done.result()));
              }
            });
  }

  static JsonObject json(Extended x) {
    Extension e = x.extension();
    JsonArray votes = new JsonArray();
    for (Vote v : e.votes()) {
      votes.add(
          new JsonObject()
              .put("approver", RequestJson.person(v.approver()))
              .put("decision", v.decision().code())
              .put("comment", v.comment().orElse(null))
              .put("at", v.at().toString()));
    }
    JsonObject json =
        new JsonObject()
            .put("id", e.id())
            .put("request_id", e.requestId())
            .put("grant_id", e.grantId())
            .put("profile", e.profile())
            .put("state", e.state().code())
            .put("requester", RequestJson.person(e.requester()))
            .put("duration_seconds", e.duration().toSeconds())
            .put("reason", e.reason())
            .put("approvals_required", e.approvalsRequired())
            .put("approvals", votes)
            .put("created_at", e.createdAt().toString())
            .put("updated_at", e.updatedAt().toString());
    x.grantEndsAt().ifPresent(end -> json.put("grant_ends_at", end.toString()));
    return json;
  }
}
