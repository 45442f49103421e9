package dev.stint.cli.review;

import dev.stint.testing.Patience;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for stint's access-review API (ARCHITECTURE §13 "Access reviews", the wire contract of
 * issue 56), on 127.0.0.1, port 0, for what the CLI's tests must see: the exact requests the CLI
 * sends (method, path, query, Accept, bearer, body) and the server's answers, refusals included. It
 * keeps one open review of {@code prod-admin} in memory, {@link #REVIEW}, whose five people make
 * every way of naming one: an email in another case, a subject, two people sharing an email and a
 * subject at two issuers, and one decided already. Decisions are all or nothing, as the server's.
 */
final class ReviewApiStandIn implements AutoCloseable {
  /** A request as it arrived: the query and the Accept and Authorization headers as sent. */
  record Received(
      String method,
      String path,
      String query,
      String accept,
      String authorization,
      JsonObject body) {}

  static final String REVIEW = "rvw_aaaabbbbccccddddeeeeffff";
  static final String OPENED = "rvw_opened2222333344445555";
  static final String IDP = "https://idp.example.com";
  static final String PARTNERS = "https://partners.example.com";

  /** The CSV export, with what a re-encoding would change: CRLF, a quoted comma, a non-ASCII. */
  static final String CSV =
      "issuer,subject,email,eligible_by,grants,last_minted,calls,unused_grants,suggestion,"
          + "decision,decided_by,decided_at,comment\r\n"
          + IDP
          + ",u-dave,,admins,2,2026-11-01T09:00:00Z,14,0,keep,keep,"
          + IDP
          + "#u-zoe,2026-11-27T08:00:00Z,\"Zoë says: on call, keeps it\"\r\n";

  private static final Pattern ONE = Pattern.compile("/v1/access-reviews/(rvw_\\w+)(/\\w+)?");

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final String token;
  private final Map<String, JsonObject> reviews = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> refusals = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile boolean closesWhenDecided = true;

  /** Serves the reviewer whose OIDC token is {@code token}. */
  ReviewApiStandIn(String token) throws Exception {
    this.token = token;
    reviews.put(REVIEW, fresh());
    server =
        vertx
            .createHttpServer()
            .requestHandler(this::handle)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  /** The review as the stand-in holds it now. */
  JsonObject review() {
    return reviews.get(REVIEW).copy();
  }

  /** Keeps a review open once everyone in it is decided (it then closes when due). */
  ReviewApiStandIn keepOpen() {
    closesWhenDecided = false;
    return this;
  }

  /** Answers every request to {@code method path} with this problem, as the server would. */
  ReviewApiStandIn refuse(String method, String path, int status, String code, String detail) {
    refusals.put(method + " " + path, problem(status, code, detail));
    return this;
  }

  private void handle(HttpServerRequest req) {
    req.body()
        .onSuccess(
            buffer -> {
              JsonObject body = buffer.length() == 0 ? null : buffer.toJsonObject();
              String auth = req.getHeader("Authorization");
              received.add(
                  new Received(
                      req.method().name(),
                      req.path(),
                      req.query(),
                      req.getHeader("Accept"),
                      auth,
                      body));
              JsonObject refused = refusals.get(req.method().name() + " " + req.path());
              if (refused != null) {
                send(req, refused);
              } else if (!("Bearer " + token).equals(auth)) {
                send(req, problem(401, "unauthenticated", "an OIDC token is required"));
              } else {
                answer(req, body);
              }
            });
  }

  private void answer(HttpServerRequest req, JsonObject body) {
    String route = req.method().name() + " " + req.path();
    Matcher one = ONE.matcher(req.path());
    if (route.equals("GET /v1/access-reviews")) {
      list(req);
    } else if (route.equals("POST /v1/access-reviews")) {
      open(req, body);
    } else if (route.equals("POST /v1/eligibility/restore")) {
      restore(req, body);
    } else if (!one.matches() || !reviews.containsKey(one.group(1))) {
      send(req, problem(404, "not_found", "no access review " + req.path()));
    } else if (one.group(2) == null && req.method().name().equals("GET")) {
      json(req, 200, reviews.get(one.group(1)));
    } else if ("/export".equals(one.group(2))) {
      export(req, reviews.get(one.group(1)));
    } else if ("/decisions".equals(one.group(2)) && req.method().name().equals("POST")) {
      decide(req, reviews.get(one.group(1)), body);
    } else {
      send(req, problem(404, "not_found", "no such route: " + route));
    }
  }

  private void list(HttpServerRequest req) {
    JsonArray listed = new JsonArray();
    for (JsonObject r : reviews.values()) {
      String state = req.getParam("state");
      String profile = req.getParam("profile");
      if ((state == null || state.equals(r.getString("state")))
          && (profile == null || profile.equals(r.getString("profile")))) {
        JsonObject summary = r.copy();
        summary.remove("items");
        summary.remove("period_start");
        listed.add(summary);
      }
    }
    json(req, 200, new JsonObject().put("reviews", listed));
  }

  private void open(HttpServerRequest req, JsonObject body) {
    String profile = body == null ? "" : body.getString("profile", "");
    if (!profile.equals("prod-admin") && !profile.equals("gcp-owner")) {
      send(req, problem(404, "not_found", "unknown profile '" + profile + "'"));
      return;
    }
    if (reviews.values().stream()
        .anyMatch(
            r -> r.getString("profile").equals(profile) && r.getString("state").equals("open"))) {
      send(req, problem(409, "conflict", "a review of " + profile + " is open already: " + REVIEW));
      return;
    }
    JsonObject opened = fresh().put("id", OPENED).put("profile", profile);
    reviews.put(OPENED, opened);
    json(req, 201, opened);
  }

  private void restore(HttpServerRequest req, JsonObject body) {
    if (body == null || !"u-bob".equals(body.getString("subject"))) {
      send(req, problem(404, "not_found", "that person is not suspended from that profile"));
      return;
    }
    json(
        req,
        200,
        body.copy()
            .put("review", REVIEW)
            .put("suspended_at", "2026-11-28T09:00:00Z")
            .put("restored_at", "2026-11-28T10:00:00Z"));
  }

  private void export(HttpServerRequest req, JsonObject review) {
    String format = req.getParam("format");
    if ("csv".equals(format)) {
      req.response()
          .putHeader("Content-Type", "text/csv; charset=utf-8")
          .putHeader(
              "Content-Disposition", "attachment; filename=\"" + review.getString("id") + ".csv\"")
          .end(CSV);
    } else if ("json".equals(format)) {
      // Not the compact encoding the CLI would print: the export is passed on as it came.
      req.response()
          .putHeader("Content-Type", "application/json")
          .end(review.encodePrettily() + "\n");
    } else {
      send(req, problem(400, "invalid_request", "format must be json or csv"));
    }
  }

  /** All or nothing, as the server: every item is checked before any is applied. */
  private void decide(HttpServerRequest req, JsonObject review, JsonObject body) {
    JsonArray items = body == null ? new JsonArray() : body.getJsonArray("items", new JsonArray());
    for (int k = 0; k < items.size(); k++) {
      JsonObject asked = items.getJsonObject(k);
      JsonObject item = itemOf(review, asked);
      if (item == null || item.getValue("decision") != null) {
        send(
            req,
            problem(
                item == null ? 400 : 409,
                item == null ? "invalid_request" : "conflict",
                "item "
                    + k
                    + " ("
                    + asked.getString("subject")
                    + "): "
                    + (item == null ? "no such person in this review" : "decided already")));
        return;
      }
    }
    for (int k = 0; k < items.size(); k++) {
      JsonObject asked = items.getJsonObject(k);
      JsonObject item = itemOf(review, asked);
      item.put("decision", asked.getString("decision"))
          .put("decided_by", new JsonObject().put("issuer", IDP).put("subject", "u-zoe"))
          .put("decided_at", "2026-11-28T09:00:00Z")
          .put("comment", asked.getString("comment"))
          .put("suspended", asked.getString("decision").equals("remove"));
      review.put("items_decided", review.getInteger("items_decided") + 1);
      String counter = asked.getString("decision").equals("keep") ? "kept" : "removed";
      review.put(counter, review.getInteger(counter) + 1);
    }
    if (closesWhenDecided
        && review.getInteger("items_decided").equals(review.getInteger("items_total"))) {
      review.put("state", "closed").put("closed_at", "2026-11-28T09:00:00Z");
    }
    json(req, 200, review);
  }

  private static JsonObject itemOf(JsonObject review, JsonObject asked) {
    for (Object o : review.getJsonArray("items")) {
      JsonObject item = (JsonObject) o;
      JsonObject person = item.getJsonObject("person");
      if (person.getString("issuer").equals(asked.getString("issuer"))
          && person.getString("subject").equals(asked.getString("subject"))) {
        return item;
      }
    }
    return null;
  }

  /** The review of {@code prod-admin} as it opened, one person decided since. */
  private static JsonObject fresh() {
    JsonArray items =
        new JsonArray()
            .add(item(IDP, "u-alice", "alice@example.com", "keep", "minted weekly"))
            .add(item(IDP, "u-bob", "Bob@Example.com", "remove", "no credential in 90 days"))
            .add(item(IDP, "u-carol", "carol@example.com", "keep", "minted weekly"))
            .add(item(PARTNERS, "u-carol", "carol@example.com", "remove", "unused grants"))
            .add(
                item(IDP, "u-dave", null, "keep", "on call")
                    .put("decision", "keep")
                    .put("decided_by", new JsonObject().put("issuer", IDP).put("subject", "u-zoe"))
                    .put("decided_at", "2026-11-27T08:00:00Z"));
    return new JsonObject()
        .put("id", REVIEW)
        .put("profile", "prod-admin")
        .put("state", "open")
        .put("opened_at", "2026-11-20T00:00:00Z")
        .put("opened_by", new JsonObject().put("issuer", IDP).put("subject", "u-admin"))
        .put("due_at", "2026-12-04T00:00:00Z")
        .putNull("closed_at")
        .put("when_overdue", "suspend")
        .put("period_start", "2026-08-22T00:00:00Z")
        .put("items_total", 5)
        .put("items_decided", 1)
        .put("kept", 1)
        .put("removed", 0)
        .put("items", items);
  }

  private static JsonObject item(
      String issuer, String subject, String email, String suggestion, String why) {
    return new JsonObject()
        .put(
            "person",
            new JsonObject().put("issuer", issuer).put("subject", subject).put("email", email))
        .put(
            "eligible_by",
            new JsonObject()
                .put("rule", "admins")
                .put("groups", new JsonArray().add("sre"))
                .put("basis", "directory")
                .put("conditional_on", new JsonArray()))
        .put("grants", 3)
        .put("last_minted", suggestion.equals("keep") ? "2026-11-25T10:00:00Z" : null)
        .put("calls", suggestion.equals("keep") ? 120 : 0)
        .put("unused_grants", suggestion.equals("keep") ? 0 : 3)
        .put("suggestion", new JsonObject().put("decision", suggestion).put("why", why))
        .putNull("decision")
        .putNull("decided_by")
        .putNull("decided_at")
        .putNull("comment")
        .put("overdue", false)
        .put("suspended", false);
  }

  private static JsonObject problem(int status, String code, String detail) {
    return new JsonObject()
        .put("status", status)
        .put("code", code)
        .put("detail", detail)
        .put("request_id", "trace-1");
  }

  private static void json(HttpServerRequest req, int status, JsonObject body) {
    req.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }

  private static void send(HttpServerRequest req, JsonObject problem) {
    req.response()
        .setStatusCode(problem.getInteger("status"))
        .putHeader("Content-Type", "application/problem+json")
        .end(problem.encode());
  }

  @Override
  public void close() throws Exception {
    vertx
        .close()
        .toCompletionStage()
        .toCompletableFuture()
        .get(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }
}
