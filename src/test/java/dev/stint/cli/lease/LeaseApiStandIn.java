package dev.stint.cli.lease;

import dev.stint.lease.LeaseTokens;
import dev.stint.testing.Patience;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for stint's task-lease API (ARCHITECTURE §13 "Task leases"), for what the real server
 * cannot easily show the CLI's tests: the exact request the CLI sends, a lease naming an agent of
 * an issuer the test has none of, and {@code GET /v1/leases/{id}/activity}, which the server does
 * not serve yet. On 127.0.0.1, port 0, it answers as the server does ({@code http.LeaseRoutes},
 * {@code LeaseJson}, {@code CredentialRoutes}; {@link LeaseServerCliTest} runs the CLI on the
 * server itself) from leases it keeps in memory, and records every request (method, path, bearer,
 * body). The person's routes take only the person's token; {@code POST /v1/credentials {lease}}
 * takes only that lease's token, issued by the server's own {@link LeaseTokens}, so the token's
 * shape is the server's. {@code GET /v1/profiles} names the leases' profile ({@code aws-prod}) and
 * its region ({@link #region}) beside another's. Its profile is not narrowed: a lease's {@code
 * policy} is its own statements or null, where the server fills a narrowed profile's document.
 */
final class LeaseApiStandIn implements AutoCloseable {
  /** A request as it arrived: the Authorization header as sent, and the body (null when none). */
  record Received(String method, String path, String authorization, JsonObject body) {}

  private static final Pattern REQUEST_LEASES = Pattern.compile("/v1/requests/(req_\\w+)/leases");
  private static final Pattern LEASE = Pattern.compile("/v1/leases/(lse_[a-z2-7]{24})(/\\w+)?");
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final String personToken;
  private final SecureRandom random = new SecureRandom();
  private final LeaseTokens tokens = new LeaseTokens();
  private final Map<String, JsonObject> leases = new ConcurrentHashMap<>();

  /** The credentials minted on each lease: only {@code GET /v1/leases/{id}} shows them. */
  private final Map<String, JsonArray> minted = new ConcurrentHashMap<>();

  private final Map<String, String> leaseTokens = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> refusals = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();

  /** The region {@code GET /v1/profiles} names for the leases' profile; null: none. */
  private volatile String region = "eu-west-1";

  /** Serves the person whose OIDC token is {@code personToken}. */
  LeaseApiStandIn(String personToken) throws Exception {
    this.personToken = personToken;
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

  /** The token the server answered for {@code leaseId}, as only its creator saw it. */
  String tokenOf(String leaseId) {
    return leaseTokens.get(leaseId);
  }

  /** {@code GET /v1/profiles} names {@code region} (null: none) for the leases' profile. */
  LeaseApiStandIn region(String region) {
    this.region = region;
    return this;
  }

  /** Answers every request to {@code method path} with this problem, as the server would. */
  LeaseApiStandIn refuse(String method, String path, int status, String code, String detail) {
    refusals.put(
        method + " " + path,
        new JsonObject()
            .put("status", status)
            .put("code", code)
            .put("detail", detail)
            .put("request_id", "trace-1"));
    return this;
  }

  private void handle(HttpServerRequest req) {
    req.body()
        .onSuccess(
            buffer -> {
              JsonObject body = buffer.length() == 0 ? null : buffer.toJsonObject();
              String auth = req.getHeader("Authorization");
              received.add(new Received(req.method().name(), req.path(), auth, body));
              JsonObject refused = refusals.get(req.method().name() + " " + req.path());
              if (refused != null) {
                problem(req, refused);
                return;
              }
              answer(req, auth, body);
            });
  }

  private void answer(HttpServerRequest req, String auth, JsonObject body) {
    String route = req.method().name() + " " + req.path();
    if (route.equals("POST /v1/credentials")) {
      mint(req, auth, body);
      return;
    }
    if (!("Bearer " + personToken).equals(auth)) {
      problem(req, 401, "unauthenticated", "a person's OIDC token is required");
      return;
    }
    Matcher requestLeases = REQUEST_LEASES.matcher(req.path());
    Matcher lease = LEASE.matcher(req.path());
    if (route.equals("GET /v1/profiles")) {
      JsonObject profile =
          new JsonObject().put("name", "aws-prod").put("cloud", "aws").put("region", region);
      JsonObject other =
          new JsonObject().put("name", "aws-dev").put("cloud", "aws").put("region", "us-east-2");
      json(req, 200, new JsonObject().put("profiles", new JsonArray().add(other).add(profile)));
    } else if (requestLeases.matches() && req.method().name().equals("POST")) {
      create(req, requestLeases.group(1), body);
    } else if (requestLeases.matches()) {
      JsonArray listed = new JsonArray();
      leases.values().stream()
          .filter(l -> l.getString("request_id").equals(requestLeases.group(1)))
          .forEach(listed::add);
      json(req, 200, new JsonObject().put("leases", listed));
    } else if (lease.matches() && leases.containsKey(lease.group(1))) {
      ofLease(req, leases.get(lease.group(1)), Optional.ofNullable(lease.group(2)).orElse(""));
    } else {
      problem(
          req,
          404,
          "not_found",
          lease.matches() ? "no lease " + lease.group(1) : "no such route: " + req.path());
    }
  }

  private void create(HttpServerRequest req, String requestId, JsonObject body) {
    if (body == null
        || body.getString("task", "").isBlank()
        || body.getLong("duration_seconds", 0L) <= 0) {
      problem(req, 400, "invalid_request", "task and duration_seconds are required");
      return;
    }
    if (body.containsKey("parameters") && body.containsKey("session_policy")) {
      problem(req, 400, "invalid_request", "give a lease parameters or a session_policy, not both");
      return;
    }
    StringBuilder id = new StringBuilder("lse_");
    for (int i = 0; i < 24; i++) {
      id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    Instant now = Instant.now();
    Object asked = body.getValue("session_policy");
    JsonArray policy =
        asked instanceof JsonArray statements
            ? statements
            : asked instanceof JsonObject document ? document.getJsonArray("Statement") : null;
    JsonObject lease =
        new JsonObject()
            .put("id", id.toString())
            .put("request_id", requestId)
            .put("grant_id", "grt_standin")
            .put("profile", "aws-prod")
            .put("holder", new JsonObject().put("issuer", "corp").put("subject", "carol"))
            .put("task", body.getString("task"))
            .put("created_at", now.toString())
            .put("expires_at", now.plusSeconds(body.getLong("duration_seconds")).toString())
            .put("state", "active")
            .put("parameters", body.getJsonObject("parameters", new JsonObject()))
            .put("policy", policy)
            .put("policy_sha256", policy == null ? null : sha256(policy.encode()))
            .put("agent", body.getJsonObject("agent"));
    leases.put(id.toString(), lease);
    minted.put(id.toString(), new JsonArray());
    JsonObject answer = lease.copy();
    if (body.getJsonObject("agent") == null) {
      String token = tokens.issue(id.toString());
      leaseTokens.put(id.toString(), token);
      answer.put("lease_token", token);
    }
    json(req, 201, answer);
  }

  private void ofLease(HttpServerRequest req, JsonObject lease, String sub) {
    String method = req.method().name();
    if (method.equals("GET") && sub.isEmpty()) {
      json(req, 200, lease.copy().put("credentials", minted.get(lease.getString("id")).copy()));
    } else if (method.equals("POST") && sub.equals("/revoke")) {
      if (!lease.getString("state").equals("active")) {
        problem(
            req,
            409,
            "conflict",
            "lease " + lease.getString("id") + " is " + lease.getString("state") + " already");
        return;
      }
      lease
          .put("state", "revoked")
          .put("ended_at", Instant.now().toString())
          .put("ended_by", new JsonObject().put("issuer", "corp").put("subject", "carol"));
      json(req, 200, lease);
    } else if (method.equals("GET") && sub.equals("/activity")) {
      JsonObject event =
          new JsonObject()
              .put("time", "2026-11-28T00:10:00Z")
              .put("credential_id", "crd_standin1")
              .put("access_key_id", "ASIASTANDIN000000001")
              .put("event_source", "s3.amazonaws.com")
              .put("event_name", "ListBuckets")
              .put("aws_region", "eu-west-1")
              .putNull("error_code");
      json(
          req,
          200,
          new JsonObject()
              .put("lease_id", lease.getString("id"))
              .put("state", lease.getString("state"))
              .put("events", new JsonArray().add(event))
              .put("settled", false));
    } else {
      problem(req, 404, "not_found", "no such route");
    }
  }

  /** {@code POST /v1/credentials {lease}}: only with that lease's token, while it is active. */
  private void mint(HttpServerRequest req, String auth, JsonObject body) {
    String leaseId = body == null ? "" : body.getString("lease", "");
    String bearer = auth == null ? "" : auth.replaceFirst("^Bearer ", "");
    JsonObject lease = leases.get(leaseId);
    if (lease == null
        || !bearer.equals(leaseTokens.get(leaseId))
        || !LeaseTokens.leaseOf(bearer).equals(Optional.of(leaseId))) {
      problem(req, 401, "unauthenticated", "the lease token is not valid for this lease");
      return;
    }
    if (!lease.getString("state").equals("active")) {
      problem(req, 403, "forbidden", "lease " + leaseId + " is " + lease.getString("state"));
      return;
    }
    JsonArray credentials = minted.get(leaseId);
    String credentialId = "crd_standin" + (credentials.size() + 1);
    String expiration = Instant.now().plusSeconds(900).toString();
    credentials.add(
        new JsonObject()
            .put("id", credentialId)
            .put("issued_at", Instant.now().toString())
            .put("expires_at", expiration)
            .put("state", "live"));
    json(
        req,
        200,
        new JsonObject()
            .put("cloud", "aws")
            .put("access_key_id", "ASIASTANDINLEASE0001")
            .put("secret_access_key", "standin-lease-secret-not-real")
            .put("session_token", "standin-lease-session")
            .put("expiration", expiration)
            .put("credential_id", credentialId)
            .put("grant_id", lease.getString("grant_id")));
  }

  private static void json(HttpServerRequest req, int status, JsonObject body) {
    req.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }

  private static void problem(HttpServerRequest req, int status, String code, String detail) {
    problem(
        req,
        new JsonObject()
            .put("status", status)
            .put("code", code)
            .put("detail", detail)
            .put("request_id", "trace-1"));
  }

  private static void problem(HttpServerRequest req, JsonObject problem) {
    req.response()
        .setStatusCode(problem.getInteger("status"))
        .putHeader("Content-Type", "application/problem+json")
        .end(problem.encode());
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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
