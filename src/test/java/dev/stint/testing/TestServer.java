package dev.stint.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import dev.stint.app.Server;
import dev.stint.config.ConfigLoader;
import dev.stint.config.DatabaseUrl;
import dev.stint.standin.OidcProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A real stint server for a test: 127.0.0.1 on port 0, its own database, a temporary policy
 * directory. Close it in {@code @AfterAll}.
 */
public final class TestServer implements AutoCloseable {
  public static final String MINIMAL_POLICY = "profiles: {}\n";

  private final Server server;
  private final Path policies;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestServer(Server server, Path policies) {
    this.server = server;
    this.policies = policies;
  }

  public static TestServer start() {
    return start(TestPostgres.migratedDatabase(), Map.of());
  }

  /** Starts a server on a fresh database whose policy directory holds this one file. */
  public static TestServer withPolicy(String policyYaml) {
    return start(TestPostgres.migratedDatabase(), Map.of(), policyYaml);
  }

  /** Starts a server on the given database with extra environment-style settings. */
  public static TestServer start(DatabaseUrl database, Map<String, String> extraEnv) {
    return start(database, extraEnv, MINIMAL_POLICY);
  }

  /** As {@link #start(DatabaseUrl, Map)}, with the text of the one policy file. */
  public static TestServer start(
      DatabaseUrl database, Map<String, String> extraEnv, String policyYaml) {
    return start(database, extraEnv, policyYaml, Clock.systemUTC());
  }

  /** As above, with the clock the server decides by (tests move it instead of sleeping). */
  public static TestServer start(
      DatabaseUrl database, Map<String, String> extraEnv, String policyYaml, Clock clock) {
    return start(database, extraEnv, policyYaml, clock, Optional.empty());
  }

  /**
   * As {@link #start(DatabaseUrl, Map, String)}, with a configuration file holding {@code
   * configYaml}: for settings no environment variable carries, such as audit checkpoints.
   */
  public static TestServer withConfig(
      DatabaseUrl database, Map<String, String> extraEnv, String policyYaml, String configYaml) {
    return start(database, extraEnv, policyYaml, Clock.systemUTC(), Optional.of(configYaml));
  }

  private static TestServer start(
      DatabaseUrl database,
      Map<String, String> extraEnv,
      String policyYaml,
      Clock clock,
      Optional<String> configYaml) {
    try {
      Path policies = TempDirs.create("stint-policies");
      Files.writeString(policies.resolve("policy.yaml"), policyYaml);
      Optional<Path> config = Optional.empty();
      if (configYaml.isPresent()) {
        // Beside the policies, not among them: the policy directory holds policies only.
        config =
            Optional.of(
                Files.writeString(
                    TempDirs.create("stint-config").resolve("stint.yaml"), configYaml.get()));
      }
      Map<String, String> env = new HashMap<>();
      env.put("STINT_LISTEN", "127.0.0.1:0");
      env.put("STINT_DATABASE_URL", database.withCredentials());
      env.put("STINT_POLICIES", policies.toString());
      env.put("STINT_DATA_DIR", policies.resolve("data").toString());
      env.put("STINT_SHUTDOWN_TIMEOUT", "5s");
      env.putAll(Patience.SERVER_DEADLINES);
      if (!extraEnv.containsKey("STINT_DATA_DIR")) {
        // The development key stint would generate on its first start, from the test keys; a
        // test that brings its own data directory sees stint generate or reuse its key itself.
        RsaKeys.writeDevelopmentKey(policies.resolve("data"));
      }
      env.putAll(extraEnv);
      return new TestServer(
          Server.start(ConfigLoader.load(config, env), clock, reload -> {}), policies);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public URI uri(String path) {
    return server.baseUrl().resolve(path);
  }

  /**
   * The IAM OIDC provider an AWS account holds for this server's issuer (web_identity): the issuer
   * its discovery document names, STS's audience as client id, and the keys it serves. Read here,
   * not from the issuer URL: a test server's public_url is not where it listens.
   */
  public OidcProvider awsProvider() {
    try {
      String issuer =
          new ObjectMapper()
              .readTree(get("/.well-known/openid-configuration").body())
              .path("issuer")
              .asText();
      JWKSet keys = JWKSet.parse(get("/.well-known/jwks.json").body());
      return new OidcProvider(issuer, Set.of("sts.amazonaws.com"), keys);
    } catch (IOException | ParseException e) {
      throw new IllegalStateException("the server's issuer documents are not readable", e);
    }
  }

  /** The wired server itself, e.g. for its audit log. */
  public Server server() {
    return server;
  }

  public Path policiesDir() {
    return policies;
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  /** GET with {@code Authorization: Bearer token}. */
  public HttpResponse<String> get(String path, String token) {
    return send(
        HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).GET().build());
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    TestPostgres.deleteTree(policies);
  }
}
