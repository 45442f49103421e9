package dev.stint.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.config.DatabaseUrl;
import dev.stint.testing.FakeAwsEndpoint;
import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSts;
import dev.stint.testing.StintProcess;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * stint as it runs in production with replicas: {@code stint serve} child processes (real exit,
 * real SIGKILL) sharing one Postgres database, with a real IdP and the STS and IAM stand-ins in the
 * test's JVM. Each replica's AWS SDK names it in its User-Agent ({@code app/NAME}), so the IAM
 * stand-in can tell whose call it holds.
 */
final class ReplicaRig implements AutoCloseable {
  /** A lease short enough that a killed replica's rows come back within the test. */
  static final String LEASE = "3s";

  private static final Duration START_LIMIT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One HTTP answer from a replica. */
  record Answer(int status, JsonNode body) {}

  final TestIdp idp = new TestIdp("corp");
  final FakeSts sts = new FakeSts();
  final FakeIam iam = new FakeIam().createRole("prod-admin").createRole("sandbox");
  final DatabaseUrl db = TestPostgres.migratedDatabase();
  private final Path dir;
  private final Map<String, StintProcess> replicas = new ConcurrentSkipListMap<>();
  private final Map<String, URI> urls = new ConcurrentHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ReplicaRig(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir.resolve("policies"));
    Files.writeString(dir.resolve("policies/policy.yaml"), ReplicaPolicy.yaml(idp));
  }

  /**
   * Starts a replica (or a new process under an old name) and waits until it listens; until then
   * the load sees it as not alive.
   */
  URI start(String name) throws IOException, InterruptedException {
    StintProcess process = StintProcess.start(env(name), dir, "serve");
    try {
      URI url = process.listeningOn(START_LIMIT);
      urls.put(name, url);
      replicas.put(name, process);
      return url;
    } catch (AssertionError | InterruptedException e) {
      process.close();
      throw e;
    }
  }

  private Map<String, String> env(String name) {
    Map<String, String> env = new HashMap<>();
    env.put("STINT_LISTEN", "127.0.0.1:0");
    env.put("STINT_DATABASE_URL", db.withCredentials());
    env.put("STINT_POLICIES", dir.resolve("policies").toString());
    // One data directory: the replicas share the signing key the first one generated.
    env.put("STINT_DATA_DIR", dir.resolve("data").toString());
    env.put("STINT_SHUTDOWN_TIMEOUT", "10s");
    env.put("STINT_OUTBOX_LEASE", LEASE);
    env.put("STINT_AWS_STS_ENDPOINT", sts.uri().toString());
    env.put("STINT_AWS_IAM_ENDPOINT", iam.uri().toString());
    env.put("STINT_AWS_REGION", "eu-west-1");
    env.put("AWS_ACCESS_KEY_ID", "AKIASTINTREPLICAS001");
    env.put("AWS_SECRET_ACCESS_KEY", "stint-replica-test-secret-not-real-000001");
    env.put("AWS_SDK_UA_APP_ID", name);
    return env;
  }

  StintProcess process(String name) {
    return replicas.get(name);
  }

  /** The replicas listening and not killed, by name. */
  List<String> alive() {
    return replicas.entrySet().stream()
        .filter(e -> e.getValue().isAlive())
        .map(Map.Entry::getKey)
        .toList();
  }

  /** Whether an IAM call came from the named replica's AWS SDK. */
  static boolean from(String name, FakeAwsEndpoint.Call call) {
    return call.headers().getOrDefault("User-Agent", List.of()).stream()
        .anyMatch(ua -> ua.contains("app/" + name));
  }

  Answer post(String replica, String token, String path, String body)
      throws IOException, InterruptedException {
    return send(
        replica,
        token,
        HttpRequest.newBuilder(urls.get(replica).resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  Answer get(String replica, String token, String path) throws IOException, InterruptedException {
    return send(replica, token, HttpRequest.newBuilder(urls.get(replica).resolve(path)).GET());
  }

  private Answer send(String replica, String token, HttpRequest.Builder request)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            request
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode body =
        response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    return new Answer(response.statusCode(), body);
  }

  @Override
  public void close() {
    replicas.values().forEach(StintProcess::close);
    idp.close();
    sts.close();
    iam.close();
  }
}
