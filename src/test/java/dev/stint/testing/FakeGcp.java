package dev.stint.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Local Google endpoints for tests, both on one HTTPS server ({@link #uri()} is the IAM Credentials
 * and the STS endpoint): IAM Credentials {@code generateAccessToken} answers in Google's JSON shape
 * with a token expiring {@code lifetime} from the fake's clock; STS {@code /v1/token} answers a
 * token exchange with a federated token. Every request is recorded; failures are programmed per
 * endpoint. Tokens the fake issued are kept so a test can tell which one a later request carried.
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

  @Override
  protected Answer answer(Call call) {
    if (call.method().equals("POST") && GENERATE.matcher(call.path()).matches()) {
      Failure failure = next(Endpoint.GENERATE_ACCESS_TOKEN);
      return failure != null ? iamError(failure) : generate(call);
    }
    if (call.method().equals("POST") && call.path().equals("/v1/token")) {
      Failure failure = next(Endpoint.STS);
      return failure != null ? stsError(failure) : exchange();
    }
    return Answer.json(404, "{\"error\":{\"code\":404,\"status\":\"NOT_FOUND\"}}");
  }

  private Answer generate(Call call) {
    long seconds = Long.parseLong(json(call).path("lifetime").asText("3600s").replace("s", ""));
    String token = "ya29.fake-" + HexFormat.of().formatHex(random.generateSeed(16));
    issued.put(token, Endpoint.GENERATE_ACCESS_TOKEN);
    ObjectNode body =
        JSON.createObjectNode()
            .put("accessToken", token)
            .put("expireTime", clock.instant().plusSeconds(seconds).toString());
    return Answer.json(200, body.toString());
  }

  private Answer exchange() {
    String token = "federated-" + HexFormat.of().formatHex(random.generateSeed(16));
    issued.put(token, Endpoint.STS);
    ObjectNode body =
        JSON.createObjectNode()
            .put("access_token", token)
            .put("issued_token_type", "urn:ietf:params:oauth:token-type:access_token")
            .put("token_type", "Bearer")
            .put("expires_in", 3600);
    return Answer.json(200, body.toString());
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
      case PERMISSION_DENIED, NOT_FOUND, INVALID_GRANT ->
          Answer.json(
              400,
              "{\"error\":"
                  + "\"invalid_grant\",\"error_description\":\"The audience in ID Token does not match.\"}");
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
