package dev.stint.http;

import dev.stint.access.AccessRequest;
import dev.stint.access.AccessRequest.StageProgress;
import dev.stint.access.Action;
import dev.stint.access.Approvers;
import dev.stint.access.Bundles;
import dev.stint.access.Caller;
import dev.stint.access.Decisions;
import dev.stint.access.NewRequest;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.access.Requests;
import dev.stint.common.ParameterValues;
import dev.stint.common.TextLimits;
import dev.stint.error.StintException;
import dev.stint.people.PeopleSeen;
import dev.stint.revocation.RevocationStatus;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code /v1/requests}: create, list, show and decide access requests. */
public final class RequestRoutes implements ApiModule {
  private static final Set<String> CREATE_FIELDS =
      Set.of(
          "profile",
          "profiles",
          "bundle",
          "duration_seconds",
          "reason",
          "ticket",
          "starts_at",
          "break_glass",
          "parameters");
  private static final Set<String> DECISION_FIELDS = Set.of("comment");

  private static final String BUNDLE_PREFIX = "bdl_";
  private static final int MAX_APPROVERS_SHOWN = 20;
  private final Requests requests;
  private final Decisions decisions;
  private final Bundles bundles;
  private final Approvers approvers;
  private final CursorSeal cursors;
  private final GrantViews grants;
  private final Clock clock;

  public RequestRoutes(
      Requests requests,
      Decisions decisions,
      Bundles bundles,
      Approvers approvers,
      CursorSeal cursors,
      GrantViews grants,
      Clock clock) {
    this.requests = requests;
    this.decisions = decisions;
    this.bundles = bundles;
    this.approvers = approvers;
    this.cursors = cursors;
    this.grants = grants;
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
    Optional<List<String>> listed = body.optionalStrings("profiles");
    Optional<String> bundle = body.optionalString("bundle");
    boolean many = listed.isPresent() || bundle.isPresent();
    if (many
        && (body.optionalString("profile").isPresent()
            || listed.isPresent() && bundle.isPresent())) {
      throw StintException.invalid("give one of 'profile', 'profiles' or 'bundle'");
    }
    ParameterValues parameters = body.parameters("parameters");
    if (many && !parameters.isEmpty()) {
      throw StintException.invalid(
          "'parameters' are for one profile; a bundle's are fixed by its policy");
    }
    NewRequest asked =
        new NewRequest(
            many ? "" : body.requiredString("profile"),
            Duration.ofSeconds(seconds),
            body.optionalString("reason").orElse("").strip(),
            body.optionalString("ticket").map(String::strip).filter(t -> !t.isEmpty()),
            body.optionalInstant("starts_at"),
            body.optionalBoolean("break_glass"),
            Narrowed.asked(parameters));
    if (many) {
      bundles
          .create(caller(ctx), listed.orElse(List.of()), bundle, asked)
          .onComplete(
              done -> {
                if (done.failed()) {
                  ctx.fail(done.cause());
                  return;
                }
                Bundles.Made made = done.result();
                ctx.response()
                    .setStatusCode(201)
                    .putHeader("Location", "/v1/requests/" + made.id());
                ctx.json(BundleJson.of(made.id(), made.name(), made.requests(), clock.instant()));
              });
      return;
    }
    requests
        .create(caller(ctx), asked)
        .onComplete(
            done -> {
              if (done.failed()) {
                ctx.fail(done.cause());
                return;
              }
              ctx.response()
                  .setStatusCode(201)
                  .putHeader("Location", "/v1/requests/" + done.result().id());
              ctx.json(RequestJson.of(done.result(), clock.instant()));
            });
  }

  private void list(RoutingContext ctx) {
    Set<String> wanted = RequestStates.asked(ctx.queryParams().get("state"));
    boolean mine = "true".equals(ctx.queryParams().get("mine"));
    Caller caller = caller(ctx);
    Requests.Filter filter =
        new Requests.Filter(
            RequestStates.stored(wanted),
            mine ? Optional.of(caller.person()) : Optional.empty(),
            Optional.ofNullable(ctx.queryParams().get("profile")),
            "true".equals(ctx.queryParams().get("needs_review")),
            limit(ctx));
    String cursor = ctx.queryParams().get("cursor");
    Requests.Filter page =
        cursor == null ? filter : filter.after(Requests.Cursor.parse(cursors.open(cursor)));
    requests
        .page(caller, page)
        .compose(
            found ->
                bundles
                    .ofRequests(found.requests().stream().map(AccessRequest::id).toList())
                    .map(
                        refs -> {
                          List<AccessRequest> rs = found.requests();
                          Instant now = clock.instant();
                          JsonArray out = new JsonArray();
                          for (AccessRequest r : rs) {
                            if (wanted.isEmpty() || wanted.contains(r.shownStateAt(now))) {
                              JsonObject json = RequestJson.of(r, now);
                              Optional.ofNullable(refs.get(r.id()))
                                  .ifPresent(ref -> json.put("bundle", bundleRef(ref)));
                              out.add(json);
                            }
                          }
                          JsonObject body = new JsonObject().put("requests", out);
                          found
                              .next()
                              .ifPresent(c -> body.put("next_cursor", cursors.seal(c.encode())));
                          return body;
                        }))
        .onComplete(done -> json(ctx, done));
  }

  private void show(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (id.startsWith(BUNDLE_PREFIX)) {
      bundle(caller(ctx), id).onComplete(done -> json(ctx, done));
      return;
    }
    requests
        .get(caller(ctx), id)
        .compose(
            r ->
                bundles
                    .of(r.id())
                    .compose(
                        b -> {
                          Instant now = clock.instant();
                          JsonObject json = RequestJson.of(r, now);
                          b.ifPresent(ref -> json.put("bundle", bundleRef(ref)));
                          return grants.shown(json, r, now);
                        }))
        .onComplete(done -> json(ctx, done));
  }

  /** A bundle as its requester or an approver sees it: every request must be visible to them. */
  private Future<JsonObject> bundle(Caller caller, String id) {
    return members(caller, id)
        .map(m -> BundleJson.of(m.ref().id(), m.ref().name(), m.requests(), clock.instant()));
  }

  private record Members(Bundles.Ref ref, List<AccessRequest> requests) {}

  private Future<Members> members(Caller caller, String id) {
    return bundles
        .of(id)
        .compose(
            ref -> {
              if (ref.isEmpty() || !ref.get().id().equals(id)) {
                return Future.failedFuture(StintException.notFound("no request " + id));
              }
              List<Future<AccessRequest>> each =
                  ref.get().requestIds().stream().map(r -> requests.get(caller, r)).toList();
              return Future.all(each)
                  .map(all -> new Members(ref.get(), each.stream().map(Future::result).toList()))
                  .recover(e -> Future.failedFuture(StintException.notFound("no request " + id)));
            });
  }

  private static JsonObject bundleRef(Bundles.Ref ref) {
    return new JsonObject().put("id", ref.id()).put("name", ref.name().orElse(null));
  }

  private static void json(RoutingContext ctx, AsyncResult<JsonObject> done) {
    if (done.failed()) {
      ctx.fail(done.cause());
    } else {
      ctx.json(done.result());
    }
  }

  /**
   * Who could approve the request now, most recently seen first, for those who may see it: the
   * requester (whom to ask) and approvers. A hint, not a right: each vote is judged when cast.
   */
  private void approvers(RoutingContext ctx) {
    // Whom to ask, not a directory of the company's approvers.
    int limit = Math.min(limit(ctx), MAX_APPROVERS_SHOWN);
    String id = ctx.pathParam("id");
    Future<List<AccessRequest>> asked =
        id.startsWith(BUNDLE_PREFIX)
            ? members(caller(ctx), id).map(m -> m.requests())
            : requests.get(caller(ctx), id).map(List::of);
    // The open stage, whose approvers these are: a bundle's requests share their stages.
    asked
        .compose(
            rs ->
                approvers
                    .ofAll(rs)
                    .map(
                        who ->
                            new Whom(StageProgress.open(rs.get(0)).map(StageProgress::name), who)))
        .onComplete(
            done -> {
              if (done.failed()) {
                ctx.fail(done.cause());
                return;
              }
              JsonArray out = new JsonArray();
              done.result().who().stream()
                  .limit(limit)
                  .forEach(
                      c ->
                          out.add(
                              new JsonObject()
                                  .put("issuer", c.person().issuer())
                                  .put("subject", c.person().subject())
                                  .put("email", c.person().email().orElse(null))
                                  .put("seen_at", c.seenAt().toString())));
              ctx.json(
                  new JsonObject()
                      .put("approvers", out)
                      .put("total", done.result().who().size())
                      .put("stage", done.result().stage().orElse(null))
                      .put("seen_within_days", PeopleSeen.SEEN_WITHIN.toDays()));
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
    if (action == Action.REVOKE) {
      decisions
          .revoke(caller(ctx), ctx.pathParam("id"), comment)
          .onComplete(
              done -> {
                if (done.failed()) {
                  ctx.fail(done.cause());
                  return;
                }
                Instant now = clock.instant();
                AccessRequest r = done.result().request();
                ctx.json(
                    RequestJson.of(r, now)
                        .put(
                            "revocation",
                            RequestJson.revocation(
                                RevocationStatus.of(done.result().reach(), r.updatedAt()))));
              });
      return;
    }
    String id = ctx.pathParam("id");
    if (id.startsWith(BUNDLE_PREFIX)) {
      decisions
          .decide(caller(ctx), id, action, comment)
          .compose(r -> bundle(caller(ctx), id))
          .onComplete(done -> json(ctx, done));
      return;
    }
    decisions
        .decide(caller(ctx), id, action, comment)
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
    return new Caller(
        Authentication.principal(ctx),
        ClientAddresses.of(ctx),
        Optional.ofNullable(ctx.request().getHeader("User-Agent")));
  }

  /** The page size a list was asked for: {@code limit}, default a hundred. */
  static int limit(RoutingContext ctx) {
    String raw = ctx.queryParams().get("limit");
    if (raw == null) {
      return 100;
    }
    try {
      int limit = Integer.parseInt(raw);
      if (limit >= 1 && limit <= Requests.Filter.MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw StintException.invalid("'limit' must be between 1 and " + Requests.Filter.MAX_LIMIT);
  }

  /** Who could approve now, and in which stage. */
  private record Whom(Optional<String> stage, List<Approvers.Candidate> who) {}
}
