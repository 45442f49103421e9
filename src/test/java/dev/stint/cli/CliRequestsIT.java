package dev.stint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.testing.CliRun;
import dev.stint.testing.Eventually;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPolicies;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request commands against a running server, as people and scripts use them. */
class CliRequestsIT {
  static TestIdp idp;
  static TestServer server;
  @TempDir Path home;

  @BeforeAll
  static void start() {
    idp = new TestIdp("corp");
    server =
        TestServer.start(TestPostgres.migratedDatabase(), Map.of(), TestPolicies.requests(idp));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
  }

  CliRun as(String token, String... args) {
    return CliRun.run(
        home, Map.of("STINT_SERVER", server.uri("/").toString(), "STINT_TOKEN", token), args);
  }

  static String id(CliRun run) throws Exception {
    JsonNode json = new ObjectMapper().readTree(run.out());
    return json.get("id").asText();
  }

  @Test
  void requestApproveAndListFromTheCommandLine() throws Exception {
    String alice = idp.token("alice", "eng");
    CliRun created =
        as(
            alice,
            "request",
            "prod",
            "--duration",
            "1h30m",
            "--reason",
            "INC-5 db",
            "--ticket",
            "OPS-1",
            "-o",
            "json");
    assertThat(created.exitCode()).as(created.err()).isZero();
    String id = id(created);
    assertThat(new ObjectMapper().readTree(created.out()).get("duration_seconds").asLong())
        .isEqualTo(5400);

    CliRun self = as(alice, "approve", id);
    assertThat(self.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(self.err()).contains("cannot approve your own request").contains("forbidden");

    CliRun bob = as(idp.token("bob", "sre"), "approve", id, "--comment", "ok");
    assertThat(bob.exitCode()).as(bob.err()).isZero();
    assertThat(bob.out()).isEqualTo("approved " + id + ": now pending (1/2 approvals)\n");

    CliRun queue = as(idp.token("carol", "sre"), "requests", "--pending");
    assertThat(queue.out())
        .contains(id)
        .contains("alice@example.com")
        .contains("1/2")
        .startsWith("ID");

    CliRun carol = as(idp.token("carol", "sre"), "approve", id);
    assertThat(carol.out()).contains("now active (2/2 approvals)");

    CliRun mine = as(alice, "requests", "--mine", "-o", "json");
    JsonNode list = new ObjectMapper().readTree(mine.out());
    assertThat(list.get(0).get("state").asText()).isEqualTo("active");
    assertThat(list.get(0).get("grant").get("id").asText()).startsWith("grt_");
  }

  @Test
  void waitReturnsOnceTheRequestIsDecided() throws Exception {
    String alice = idp.token("alice", "eng");
    CompletableFuture<CliRun> waiting =
        CompletableFuture.supplyAsync(
            () ->
                as(
                    alice,
                    "request",
                    "prod",
                    "--duration",
                    "30m",
                    "--reason",
                    "INC-6",
                    "--wait",
                    "--interval",
                    "1s",
                    "-o",
                    "json"));
    String pendingId =
        Eventually.get(
            "the waiting request",
            Duration.ofSeconds(10),
            () -> {
              JsonNode pending =
                  new ObjectMapper()
                      .readTree(
                          as(idp.token("bob", "sre"), "requests", "--pending", "-o", "json").out());
              for (JsonNode r : pending) {
                if (r.get("reason").asText().equals("INC-6")) {
                  return Optional.of(r.get("id").asText());
                }
              }
              return Optional.<String>empty();
            });
    assertThat(as(idp.token("bob", "sre"), "deny", pendingId).exitCode()).isZero();
    CliRun result = waiting.get();
    assertThat(result.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(new ObjectMapper().readTree(result.out()).get("state").asText()).isEqualTo("denied");
    assertThat(result.err()).contains("waiting for approval of " + pendingId);
  }

  @Test
  void profilesListsWhatICanRequest() {
    CliRun oncall = as(idp.token("olga", "oncall"), "profiles");
    assertThat(oncall.exitCode()).as(oncall.err()).isZero();
    assertThat(oncall.out().lines().toList()).hasSize(2);
    assertThat(oncall.out()).contains("sandbox").contains("auto for you").doesNotContain("prod");
    CliRun eng = as(idp.token("alice", "eng"), "profiles");
    assertThat(eng.out())
        .contains("prod")
        .contains("2 approver(s)")
        .contains("2h")
        .contains("Production admin");
  }

  @Test
  void errorsAreOneClearLine() {
    CliRun tooLong =
        as(idp.token("alice", "eng"), "request", "prod", "--duration", "3h", "--reason", "INC-1");
    assertThat(tooLong.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(tooLong.err().strip())
        .startsWith(
            "stint: duration 3h exceeds the maximum of 2h for profile prod (invalid_request");
    assertThat(tooLong.err().lines().count()).isEqualTo(1);
    CliRun badDuration = as(idp.token("alice", "eng"), "request", "prod", "--duration", "soon");
    assertThat(badDuration.exitCode()).isEqualTo(CliException.USAGE);
    CliRun unknown = as(idp.token("alice", "eng"), "cancel", "req_doesnotexist");
    assertThat(unknown.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(unknown.err()).contains("no request req_doesnotexist (not_found");
  }
}
