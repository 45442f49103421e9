package dev.stint.http;

import dev.stint.directory.ListQuery;
import dev.stint.directory.Scim;
import dev.stint.directory.ScimAnswer;
import dev.stint.directory.ScimAttributes;
import dev.stint.directory.ScimCaller;
import dev.stint.directory.ScimException;
import dev.stint.error.StintException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /scim/v2}: the directory's SCIM service provider, registered only when {@code
 * directory.scim_token} is set (without it the path is unknown, 404 like any other). Like the
 * CloudTrail ingest it is open to the network and authenticated by its own bearer token, checked
 * from the headers before the body is read (then up to {@link HttpLimits#MAX_BODY_BYTES}, as the
 * rest of the API). Bodies are {@code application/scim+json} or {@code application/json}, one JSON
 * object (anything else is {@code invalidSyntax}); answers are {@code application/scim+json},
 * narrowed by {@code attributes} or {@code excludedAttributes} wherever they hold a resource, and
 * every refusal is in SCIM's error schema (RFC 7644, section 3.12), never the API's problem
 * documents, since SCIM clients read only that. {@code /Me}, which needs a user the token does not
 * name, is 501 (section 3.11).
 */
public final class ScimRoutes implements RouteModule {
  public static final String PREFIX = "/scim/v2";
  static final String MEDIA_TYPE = "application/scim+json";
  static final String ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
  private static final Logger LOG = LoggerFactory.getLogger(ScimRoutes.class);

  private final Vertx vertx;
  private final Scim scim;

  public ScimRoutes(Vertx vertx, Scim scim) {
    this.vertx = vertx;
    this.scim = scim;
  }

  /** Whether {@code path} is one of these routes, which read their bodies themselves. */
  static boolean readsOwnBody(String path) {
    return path.startsWith(PREFIX + "/");
  }

  @Override
  public void register(Router router) {
    Router r = Router.router(vertx);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(HttpLimits.MAX_BODY_BYTES);
    r.route().handler(this::admit).handler(body::handle);
    r.get("/Users").handler(ctx -> read(ctx, a -> scim.users().list(query(ctx, a))));
    r.get("/Users/:id").handler(ctx -> read(ctx, a -> scim.users().get(id(ctx), a)));
    r.post("/Users").handler(ctx -> write(ctx, b -> scim.users().create(b, caller(ctx))));
    r.put("/Users/:id")
        .handler(
            ctx -> write(ctx, b -> scim.users().replace(id(ctx), b, ifMatch(ctx), caller(ctx))));
    r.patch("/Users/:id")
        .handler(ctx -> write(ctx, b -> scim.users().patch(id(ctx), b, ifMatch(ctx), caller(ctx))));
    r.delete("/Users/:id")
        .handler(ctx -> answer(ctx, scim.users().delete(id(ctx), ifMatch(ctx), caller(ctx))));
    r.get("/Groups").handler(ctx -> read(ctx, a -> scim.groups().list(query(ctx, a))));
    r.get("/Groups/:id").handler(ctx -> read(ctx, a -> scim.groups().get(id(ctx), a)));
    r.post("/Groups").handler(ctx -> write(ctx, b -> scim.groups().create(b, caller(ctx))));
    r.put("/Groups/:id")
        .handler(
            ctx -> write(ctx, b -> scim.groups().replace(id(ctx), b, ifMatch(ctx), caller(ctx))));
    r.patch("/Groups/:id")
        .handler(
            ctx -> write(ctx, b -> scim.groups().patch(id(ctx), b, ifMatch(ctx), caller(ctx))));
    r.delete("/Groups/:id")
        .handler(ctx -> answer(ctx, scim.groups().delete(id(ctx), ifMatch(ctx), caller(ctx))));
    // RFC 7644, section 3.11: a provider without /Me answers 501, whatever the method.
    r.route("/Me").handler(ScimRoutes::noMe);
    r.route("/Me/*").handler(ScimRoutes::noMe);
    r.get("/ServiceProviderConfig")
        .handler(ctx -> document(ctx, scim.discovery().serviceProviderConfig()));
    r.get("/ResourceTypes").handler(ctx -> document(ctx, scim.discovery().resourceTypes()));
    r.get("/ResourceTypes/:id")
        .handler(ctx -> document(ctx, scim.discovery().resourceType(id(ctx))));
    r.get("/Schemas").handler(ctx -> document(ctx, scim.discovery().schemas()));
    r.get("/Schemas/:id").handler(ctx -> document(ctx, scim.discovery().schema(id(ctx))));
    r.route()
        .handler(
            ctx ->
                ctx.fail(
                    ScimException.status(
                        404,
                        "no such endpoint: "
                            + ctx.request().method()
                            + " "
                            + ctx.request().path())));
    router.route(PREFIX + "/*").subRouter(r);
  }

  private void admit(RoutingContext ctx) {
    if (scim.admits(Optional.ofNullable(ctx.request().getHeader("Authorization")))) {
      ctx.next();
    } else {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      ctx.fail(ScimException.status(401, "the directory's bearer token is required"));
    }
  }

  /** A read: its answer narrowed by {@code attributes} or {@code excludedAttributes}. */
  private static void read(RoutingContext ctx, Function<ScimAttributes, Future<ScimAnswer>> call) {
    ScimAttributes attributes;
    try {
      attributes = attributes(ctx);
    } catch (ScimException e) {
      ctx.fail(e);
      return;
    }
    answer(ctx, call.apply(attributes).map(a -> a.narrowed(attributes)));
  }

  /**
   * A call with a body: the media type, the parameters that narrow the answer, then one JSON
   * object, then the use case, whose answer is narrowed as a read's (RFC 7644, section 3.9).
   */
  private static void write(RoutingContext ctx, Function<JsonObject, Future<ScimAnswer>> call) {
    String type =
        Optional.ofNullable(ctx.request().getHeader("Content-Type"))
            .orElse("")
            .toLowerCase(Locale.ROOT);
    if (!type.startsWith(MEDIA_TYPE) && !type.startsWith("application/json")) {
      ctx.fail(
          ScimException.status(415, "the body must be " + MEDIA_TYPE + " or application/json"));
      return;
    }
    ScimAttributes attributes;
    JsonObject body;
    try {
      attributes = attributes(ctx);
      body = object(ctx.body().asString());
    } catch (ScimException e) {
      ctx.fail(e);
      return;
    }
    answer(ctx, call.apply(body).map(a -> a.narrowed(attributes)));
  }

  /** The body as one JSON object; anything else, empty included, is {@code invalidSyntax}. */
  private static JsonObject object(String text) {
    Object parsed;
    try {
      parsed = text == null || text.isBlank() ? null : Json.decodeValue(text);
    } catch (DecodeException e) {
      throw ScimException.invalidSyntax("the body is not valid JSON");
    }
    if (parsed instanceof JsonObject o) {
      return o;
    }
    throw ScimException.invalidSyntax("the body must be one JSON object");
  }

  private static ScimAttributes attributes(RoutingContext ctx) {
    return ScimAttributes.of(
        Optional.ofNullable(ctx.queryParams().get("attributes")),
        Optional.ofNullable(ctx.queryParams().get("excludedAttributes")));
  }

  private static void noMe(RoutingContext ctx) {
    ctx.fail(
        ScimException.status(
            501, "/Me is not supported: the directory's token names no user of the directory"));
  }

  private static void document(RoutingContext ctx, JsonObject doc) {
    if (doc == null) {
      ctx.fail(ScimException.status(404, "no such resource: " + ctx.request().path()));
    } else {
      answer(
          ctx,
          Future.succeededFuture(
              new ScimAnswer(200, Optional.of(doc), Optional.empty(), Optional.empty())));
    }
  }

  private static void answer(RoutingContext ctx, Future<ScimAnswer> answer) {
    answer
        .onSuccess(
            a -> {
              ctx.response().setStatusCode(a.status());
              a.location().ifPresent(l -> ctx.response().putHeader("Location", l));
              a.etag().ifPresent(e -> ctx.response().putHeader("ETag", e));
              if (a.body().isPresent()) {
                ctx.response().putHeader("Content-Type", MEDIA_TYPE).end(a.body().get().encode());
              } else {
                ctx.response().end();
              }
            })
        .onFailure(ctx::fail);
  }

  /**
   * Every failure under the prefix, as SCIM's error document ({@link ErrorMapper} hands them here:
   * the main router's failure handler is the one that runs, even for a sub-router's routes).
   */
  static void failed(RoutingContext ctx) {
    Throwable f = ctx.failure();
    if (f instanceof ScimException e) {
      error(ctx, e.status(), e.scimType(), e.detail());
    } else if (f instanceof StintException e) {
      int status = HttpStatuses.of(e.code());
      if (status >= 500) {
        LOG.warn("SCIM call failed: {} ({})", e.code().code(), e.getMessage(), e.getCause());
      }
      error(ctx, status, Optional.empty(), e.detail());
    } else if (f == null || f instanceof HttpException) {
      int status = f instanceof HttpException h ? h.getStatusCode() : ctx.statusCode();
      error(
          ctx,
          status,
          Optional.empty(),
          status == 413
              ? "request body exceeds " + HttpLimits.MAX_BODY_BYTES / 1024 + " KiB"
              : "the request was refused");
    } else {
      LOG.error(
          "unexpected failure serving {} {}", ctx.request().method(), ctx.request().path(), f);
      error(ctx, 500, Optional.empty(), "internal error; quote the request id when reporting it");
    }
  }

  private static void error(
      RoutingContext ctx, int status, Optional<String> scimType, String detail) {
    JsonObject body =
        new JsonObject()
            .put("schemas", new JsonArray().add(ERROR_SCHEMA))
            .put("status", String.valueOf(status))
            .put("detail", detail);
    scimType.ifPresent(t -> body.put("scimType", t));
    ctx.response().setStatusCode(status).putHeader("Content-Type", MEDIA_TYPE).end(body.encode());
  }

  private static String id(RoutingContext ctx) {
    return ctx.pathParam("id");
  }

  private static Optional<String> ifMatch(RoutingContext ctx) {
    return Optional.ofNullable(ctx.request().getHeader("If-Match"));
  }

  private static ListQuery query(RoutingContext ctx, ScimAttributes attributes) {
    return new ListQuery(
        Optional.ofNullable(ctx.queryParams().get("filter")),
        Optional.ofNullable(ctx.queryParams().get("startIndex")),
        Optional.ofNullable(ctx.queryParams().get("count")),
        attributes);
  }

  private static ScimCaller caller(RoutingContext ctx) {
    return new ScimCaller(
        ClientAddresses.of(ctx).orElse(null), ctx.request().getHeader("User-Agent"));
  }
}
