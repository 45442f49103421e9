package dev.stint.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Local Google endpoints for tests, both on one HTTPS server ({@link #uri()} is the IAM Credentials
 * and the STS endpoint): IAM Credentials {@code generateAccessToken} answers in Google's JSON shape
 * with a token expiring {@code lifetime} from the fake's clock; STS {@code /v1/token} answers a
 * token exchange with a federated token, or, for one of its own access tokens with a Credential
 * Access Boundary in {@code options}, with a downscoped token expiring with it. STS refuses what
 * Google's does ({@link GoogleStsRules}). Every request is recorded, and every access boundary STS
 * received; failures are programmed per endpoint. Tokens the fake issued are kept so a test can
 * tell which one a later request carried.
 */
public final class FakeGcp extends FakeHttpsEndpoint {
  /** The two endpoints. */
  public enum Endpoint {
    GENERATE_ACCESS_TOKEN,
    STS
  }

  /** A programmable failure, answered in the endpoint's real error shape. */
  public enum Failure {
    PERMISSION_DENIED,
    NOT_FOUND,
    INVALID_GRANT,
    SERVER_ERROR,
    HANG
  }

  private static final Pattern GENERATE =
      Pattern.compile("/v1/projects/-/serviceAccounts/([^/:]+):generateAccessToken");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<Endpoint, Deque<Failure>> failures = new ConcurrentHashMap<>();
  private final Map<String, Endpoint> issued = new ConcurrentHashMap<>();
  private final Map<String, Instant> expiries = new ConcurrentHashMap<>();
  private final Map<String, Downscoped> downscoped = new ConcurrentHashMap<>();
  private final List<JsonNode> boundaries = new CopyOnWriteArrayList<>();

  /** A downscoped token: the access token it was exchanged for and the boundary it carries. */
  public record Downscoped(String subjectToken, JsonNode accessBoundary) {}

  public FakeGcp(TestTls tls, Clock clock) {
    super(tls);
    this.clock = clock;
    for (Endpoint e : Endpoint.values()) {
      failures.put(e, new ArrayDeque<>());
    }
  }

  /** The next calls to {@code endpoint} fail in this order; later calls succeed. */
  public FakeGcp failNext(Endpoint endpoint, Failure... next) {
    Deque<Failure> queue = failures.get(endpoint);
    synchronized (queue) {
      queue.addAll(List.of(next));
    }
    return this;
  }

  /** The only {@code generateAccessToken} call, failing when there is not exactly one. */
  public Call onlyGenerate() {
    return only(c -> GENERATE.matcher(c.path()).matches(), "generateAccessToken");
  }

  /** The only STS call, failing when there is not exactly one. */
  public Call onlySts() {
    return only(c -> c.path().equals("/v1/token"), "STS token");
  }

  /** The JSON body of a {@code generateAccessToken} call. */
  public static JsonNode json(Call call) {
    try {
      return JSON.readTree(call.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + call.body(), e);
    }
  }

  /** The service account a {@code generateAccessToken} call named in its path. */
  public static String serviceAccount(Call call) {
    Matcher m = GENERATE.matcher(call.path());
    if (!m.matches()) {
      throw new AssertionError("not a generateAccessToken call: " + call.path());
    }
    return m.group(1);
  }

  /** Which endpoint issued {@code token}, if this fake issued it. */
  public Endpoint issuedBy(String token) {
    return issued.get(token);
  }

  /** What {@code token} was downscoped from and to, if STS issued it for a boundary. */
  public Optional<Downscoped> downscoped(String token) {
    return Optional.ofNullable(downscoped.get(token));
  }

  /** Every {@code accessBoundary} STS received in {@code options}, refused or not, in order. */
  public List<JsonNode> boundaries() {
    return List.copyOf(boundaries);
  }

  @Override
  protected Answer answer(Call call) {
    if (call.method().equals("POST") && GENERATE.matcher(call.path()).matches()) {
      Failure failure = next(Endpoint.GENERATE_ACCESS_TOKEN);
      return failure != null ? iamError(failure) : generate(call);
    }
    if (call.method().equals("POST") && call.path().equals("/v1/token")) {
      GoogleStsRules.accessBoundary(call).ifPresent(boundaries::add);
      Failure failure = next(Endpoint.STS);
      return failure != null ? stsError(failure) : exchange(call);
    }
    return Answer.json(404, "{\"error\":{\"code\":404,\"status\":\"NOT_FOUND\"}}");
  }

  private Answer generate(Call call) {
    long seconds = Long.parseLong(json(call).path("lifetime").asText("3600s").replace("s", ""));
    String token = "ya29.fake-" + HexFormat.of().formatHex(random.generateSeed(16));
    Instant expires = clock.instant().plusSeconds(seconds);
    issued.put(token, Endpoint.GENERATE_ACCESS_TOKEN);
    expiries.put(token, expires);
    ObjectNode body =
        JSON.createObjectNode().put("accessToken", token).put("expireTime", expires.toString());
    return Answer.json(200, body.toString());
  }

  private Answer exchange(Call call) {
    Optional<GoogleStsRules.Refusal> refusal = GoogleStsRules.refusal(call, this::live);
    if (refusal.isPresent()) {
      return refusal.get().answer();
    }
    boolean downscoping = GoogleStsRules.ACCESS_TOKEN.equals(call.form("subject_token_type"));
    String token =
        (downscoping ? "downscoped-" : "federated-")
            + HexFormat.of().formatHex(random.generateSeed(16));
    // A downscoped token keeps its subject token's expiry; a federated one lasts an hour.
    Instant expires =
        downscoping ? expiries.get(call.form("subject_token")) : clock.instant().plusSeconds(3600);
    issued.put(token, Endpoint.STS);
    expiries.put(token, expires);
    if (downscoping) {
      downscoped.put(
          token,
          new Downscoped(
              call.form("subject_token"), GoogleStsRules.accessBoundary(call).orElseThrow()));
    }
    ObjectNode body =
        JSON.createObjectNode()
            .put("access_token", token)
            .put("issued_token_type", GoogleStsRules.ACCESS_TOKEN)
            .put("token_type", "Bearer")
            .put("expires_in", Duration.between(clock.instant(), expires).getSeconds());
    return Answer.json(200, body.toString());
  }

  /** Whether {@code token} is an access token this fake issued that has not expired. */
  private boolean live(String token) {
    Instant expires = expiries.get(token);
    return expires != null && clock.instant().isBefore(expires);
  }

  private static Answer iamError(Failure failure) {
    return switch (failure) {
      case PERMISSION_DENIED ->
          googleError(
              403,
              "PERMISSION_DENIED",
              "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).");
      case NOT_FOUND -> googleError(404, "NOT_FOUND", "Requested entity was not found.");
      case INVALID_GRANT ->
          googleError(400, "INVALID_ARGUMENT", "Request contains an invalid argument.");
      case SERVER_ERROR -> googleError(503, "UNAVAILABLE", "The service is currently unavailable.");
      case HANG -> HANG;
    };
  }

  private static Answer stsError(Failure failure) {
    return switch (failure) {
      case PERMISSION_DENIED ->
          new GoogleStsRules.Refusal(
                  403,
                  "access_denied",
                  "The caller does not have permission to exchange this token.")
              .answer();
      case NOT_FOUND, INVALID_GRANT ->
          new GoogleStsRules.Refusal(
                  400, "invalid_grant", "The audience in ID Token does not match.")
              .answer();
      case SERVER_ERROR -> Answer.json(503, "{\"error\":\"temporarily_unavailable\"}");
      case HANG -> HANG;
    };
  }

  private static Answer googleError(int code, String status, String message) {
    return Answer.json(
        code,
        "{\"error\":{\"code\":"
            + code
            + ",\"message\":\""
            + message
            + "\",\"status\":\""
            + status
            + "\"}}");
  }

  private Failure next(Endpoint endpoint) {
    Deque<Failure> queue = failures.get(endpoint);
    synchronized (queue) {
      return queue.poll();
    }
  }

  private Call only(Predicate<Call> which, String what) {
    List<Call> matching = calls(which);
    if (matching.size() != 1) {
      throw new AssertionError(
          "expected one " + what + " call, got " + matching.size() + ": " + calls());
    }
    return matching.get(0);
  }

  /** For tests that compare instants. */
  public Instant now() {
    return clock.instant();
  }
}
