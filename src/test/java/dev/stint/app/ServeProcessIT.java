package dev.stint.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.StintProcess;
import dev.stint.testing.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `stint serve` as a real process: exit codes and one-line messages of startup failures, signals,
 * persistence. Configuration refusals, which need no process, are in {@link ServeCommandTest}.
 */
class ServeProcessIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  @TempDir Path dir;
  Map<String, String> env;

  @BeforeEach
  void policies() throws IOException {
    Files.createDirectories(dir.resolve("policies"));
    Files.writeString(dir.resolve("policies/policy.yaml"), "profiles: {}\n");
    env =
        new HashMap<>(
            Map.of(
                "STINT_LISTEN", "127.0.0.1:0",
                "STINT_POLICIES", dir.resolve("policies").toString(),
                "STINT_DATA_DIR", dir.resolve("data").toString()));
  }

  private void assertOneLineFailure(StintProcess p, int code, String... fragments)
      throws InterruptedException {
    assertThat(p.waitFor(LIMIT)).isEqualTo(code);
    assertThat(p.stderr()).hasSize(1);
    assertThat(p.stderr().get(0)).startsWith("stint: ").contains(fragments);
  }

  @Test
  void unreachableDatabaseExitsWithTheCauseButNotThePassword() throws Exception {
    env.put("STINT_DATABASE_URL", "postgresql://stint:pa55word@127.0.0.1:1/stint");
    try (StintProcess p = StintProcess.start(env, dir, "serve")) {
      assertOneLineFailure(
          p, 1, "database postgresql://stint:***@127.0.0.1:1/stint", "is unusable");
      assertThat(String.join("\n", p.stdout()) + p.stderr()).doesNotContain("pa55word");
    }
  }

  @Test
  void invalidPoliciesStopTheServerWithTheProblem() throws Exception {
    env.put(
        "STINT_DATABASE_URL", TestPostgres.asOwner(TestPostgres.emptyDatabase()).withCredentials());
    Files.writeString(dir.resolve("policies/policy.yaml"), "profilez: {}\n");
    try (StintProcess p = StintProcess.start(env, dir, "serve")) {
      assertOneLineFailure(p, 1, "policies:", "policy.yaml", "profilez");
    }
  }

  @Test
  void servesUntilSigtermThenStopsCleanly() throws Exception {
    env.put(
        "STINT_DATABASE_URL", TestPostgres.asOwner(TestPostgres.emptyDatabase()).withCredentials());
    try (StintProcess p = StintProcess.start(env, dir, "serve")) {
      URI base = p.listeningOn(LIMIT);
      assertThat(get(base.resolve("/readyz")).statusCode()).isEqualTo(200);
      p.terminate();
      assertThat(p.waitFor(LIMIT)).isEqualTo(143); // terminated by SIGTERM, after the hooks ran
      assertThat(p.stdout()).anySatisfy(l -> assertThat(msg(l)).isEqualTo("stopped"));
    }
  }

  @Test
  void embeddedDatabaseSurvivesARestart() throws Exception {
    // First start applies every migration there is (other issues add V2+), the restart none.
    long migrations;
    try (var files = Files.list(Path.of("src/main/resources/db/migration"))) {
      migrations = files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
    }
    for (String expected :
        new String[] {"(" + migrations + " migrations applied)", "(0 migrations applied)"}) {
      try (StintProcess p = StintProcess.start(env, dir, "serve")) {
        URI base = p.listeningOn(LIMIT);
        assertThat(get(base.resolve("/readyz")).statusCode()).isEqualTo(200);
        assertThat(p.stdout()).anySatisfy(l -> assertThat(msg(l)).endsWith(expected));
        p.terminate();
        p.waitFor(LIMIT);
      }
    }
    assertThat(dir.resolve("data/postgres/PG_VERSION")).exists();
  }

  private static String msg(String jsonLine) {
    try {
      return new JsonObject(jsonLine).getString("msg", "");
    } catch (RuntimeException notJson) {
      return "";
    }
  }

  private static HttpResponse<String> get(URI uri) throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
