package dev.stint.http;

import dev.stint.access.AccessRequest;
import dev.stint.access.AccessService;
import dev.stint.access.AccessService.Action;
import dev.stint.access.Approvers;
import dev.stint.access.Caller;
import dev.stint.access.NewRequest;
import dev.stint.access.RequestFilter;
import dev.stint.access.RequestState;
import dev.stint.access.RequestView;
import dev.stint.error.StintException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code /v1/requests}: create, list, show and decide access requests. */
public final class RequestRoutes implements ApiModule {
  private static final Set<String> CREATE_FIELDS = Set.of("profile", "duration_seconds",
      "reason", "ticket", "starts_at", "break_glass");
  private static final Set<String> DECISION_FIELDS = Set.of("comment");
  private static final int MAX_COMMENT = 1_000;
  /** The states people filter by, including the derived ones, and what is stored for them. */
  private static final Set<String> VIEW_STATES = Set.of("pending", "approved", "scheduled",
      "active", "expired", "denied", "cancelled", "timed_out", "revoked");

  private final AccessService access;
  private final Approvers approvers;
  private final Clock clock;

  public RequestRoutes(AccessService access, Approvers approvers, Clock clock) {
    this.access = access;
    this.approvers = approvers;
    this.clock = clock;
  }

  @Override
  public void register(Router v1) {
    v1.post("/requests").handler(this::create);
    v1.get("/requests").handler(this::list);
    v1.get("/requests/:id").handler(this::show);
    v1.get("/requests/:id/approvers").handler(this::approvers);
    for (Action action : Action.values()) {
      v1.post("/requests/:id/" + action.code()).handler(ctx -> decide(ctx, action));
    }
  }

  private void create(RoutingContext ctx) {
    JsonBodies body = JsonBodies.read(ctx, CREATE_FIELDS);
    long seconds = body.requiredLong("duration_seconds");
    if (seconds <= 0 || seconds > Duration.ofDays(366).toSeconds()) {
      throw StintException.invalid("'duration_seconds' must be a positive number of seconds");
    }
    NewRequest asked = new NewRequest(body.requiredString("profile"), Duration.ofSeconds(seconds),
        body.optionalString("reason").orElse("").strip(),
        body.optionalString("ticket").map(String::strip).filter(t -> !t.isEmpty()),
        body.optionalInstant("starts_at"), body.optionalBoolean("break_glass"));
    access.create(caller(ctx), asked).onComplete(done -> {
      if (done.failed()) {
        ctx.fail(done.cause());
        return;
      }
      ctx.response().setStatusCode(201)
          .putHeader("Location", "/v1/requests/" + done.result().id());
      ctx.json(RequestJson.of(done.result(), clock.instant()));
    });
  }

  private void list(RoutingContext ctx) {
    Set<String> wanted = states(ctx.queryParams().get("state"));
    boolean mine = "true".equals(ctx.queryParams().get("mine"));
    Caller caller = caller(ctx);
    RequestFilter filter = new RequestFilter(stored(wanted),
        mine ? Optional.of(caller.person()) : Optional.empty(),
        Optional.ofNullable(ctx.queryParams().get("profile")),
        "true".equals(ctx.queryParams().get("needs_review")), limit(ctx));
    access.list(caller, filter).onComplete(done -> {
      if (done.failed()) {
        ctx.fail(done.cause());
        return;
      }
      Instant now = clock.instant();
      JsonArray out = new JsonArray();
      for (AccessRequest r : done.result()) {
        if (wanted.isEmpty() || wanted.contains(RequestView.stateAt(r, now))) {
          out.add(RequestJson.of(r, now));
        }
      }
      ctx.json(new JsonObject().put("requests", out));
    });
  }

  private void show(RoutingContext ctx) {
    access.get(caller(ctx), ctx.pathParam("id")).onComplete(done -> respond(ctx, done.result(),
        done.cause()));
  }

  /**
   * Who could approve the request now, most recently seen first, for those who may see it: the
   * requester (whom to ask) and approvers. A hint, not a right: each vote is judged when cast.
   */
  private void approvers(RoutingContext ctx) {
    int limit = limit(ctx);
    access.get(caller(ctx), ctx.pathParam("id")).compose(approvers::of).onComplete(done -> {
      if (done.failed()) {
        ctx.fail(done.cause());
        return;
      }
      JsonArray out = new JsonArray();
      done.result().stream().limit(limit).forEach(c -> out.add(new JsonObject()
          .put("issuer", c.person().issuer()).put("subject", c.person().subject())
          .put("email", c.person().email().orElse(null)).put("seen_at", c.seenAt().toString())));
      ctx.json(new JsonObject().put("approvers", out).put("total", done.result().size())
          .put("seen_within_days", Approvers.SEEN_WITHIN.toDays()));
    });
  }

  private void decide(RoutingContext ctx, Action action) {
    Optional<String> comment = JsonBodies.read(ctx, DECISION_FIELDS).optionalString("comment")
        .map(String::strip).filter(c -> !c.isEmpty());
    if (comment.map(c -> c.length() > MAX_COMMENT).orElse(false)) {
      throw StintException.invalid("comment is longer than " + MAX_COMMENT + " characters");
    }
    if (action == Action.REVOKE) {
      access.revoke(caller(ctx), ctx.pathParam("id"), comment).onComplete(done -> {
        if (done.failed()) {
          ctx.fail(done.cause());
          return;
        }
        Instant now = clock.instant();
        ctx.json(RequestJson.of(done.result().request(), now)
            .put("revocation", RequestJson.revocation(done.result())));
      });
      return;
    }
    access.decide(caller(ctx), ctx.pathParam("id"), action, comment)
        .onComplete(done -> respond(ctx, done.result(), done.cause()));
  }

  private void respond(RoutingContext ctx, AccessRequest r, Throwable failure) {
    if (failure != null) {
      ctx.fail(failure);
    } else {
      ctx.json(RequestJson.of(r, clock.instant()));
    }
  }

  static Caller caller(RoutingContext ctx) {
    return new Caller(Authentication.principal(ctx),
        ClientAddresses.of(ctx),
        Optional.ofNullable(ctx.request().getHeader("User-Agent")));
  }

  private static Set<String> states(String param) {
    if (param == null || param.isBlank()) {
      return Set.of();
    }
    List<String> asked = Arrays.stream(param.split(",")).map(String::strip).toList();
    for (String s : asked) {
      if (!VIEW_STATES.contains(s)) {
        throw StintException.invalid("unknown state '" + s + "'; expected one of " + VIEW_STATES);
      }
    }
    return Set.copyOf(asked);
  }

  /** Derived states are stored as approved; the view filter narrows them afterwards. */
  private static Set<RequestState> stored(Set<String> wanted) {
    EnumSet<RequestState> out = EnumSet.noneOf(RequestState.class);
    for (String s : wanted) {
      out.add(Set.of("scheduled", "active").contains(s) ? RequestState.APPROVED
          : s.equals("expired") ? RequestState.APPROVED : RequestState.of(s));
      if (s.equals("expired")) {
        out.add(RequestState.EXPIRED);
      }
    }
    return out;
  }

  private static int limit(RoutingContext ctx) {
    String raw = ctx.queryParams().get("limit");
    if (raw == null) {
      return 100;
    }
    try {
      int limit = Integer.parseInt(raw);
      if (limit >= 1 && limit <= RequestFilter.MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw StintException.invalid("'limit' must be between 1 and " + RequestFilter.MAX_LIMIT);
  }
}
