package dev.stint.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A live policy change that does not validate is refused where operators look, not only in the log:
 * the audit records it as {@code policy.refused} with every problem, and {@code /readyz} warns of
 * it, still ready (the last good policy is in force, which is correct to serve), until a valid
 * change is accepted.
 */
class PolicyRefusalServerTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String GOOD = "profiles: {}\n";
  static final String BROKEN =
      """
      profiles:
        broken:
          max_duration: forever
      """;

  @Test
  void aRefusedChangeIsAuditedAndShownInReadinessUntilAGoodOneIsAccepted() throws Exception {
    DatabaseUrl db = TestPostgres.migratedDatabase();
    try (TestServer server = TestServer.start(db, Map.of(), GOOD)) {
      Path file = server.policiesDir().resolve("policy.yaml");
      Files.writeString(file, BROKEN);
      Eventually.until("policy.refused in the audit", WAIT, () -> count(db, "policy.refused") == 1);

      List<String> refused =
          AuditTables.strings(
              db,
              "SELECT outcome || '|' || reason || '|' || (details->'problems')::text"
                  + " FROM audit_events WHERE type = 'policy.refused'");
      String[] row = refused.get(0).split("\\|", 3);
      JsonArray problems = new JsonArray(row[2]);
      assertThat(row[0]).isEqualTo("refused");
      assertThat(problems).isNotEmpty();
      assertThat(row[1])
          .isEqualTo(
              "invalid policy refused; the last good policy stays in force: "
                  + problems.getString(0));
      assertThat(count(db, "policy.reloaded")).as("a refusal is not a reload").isZero();

      HttpResponse<String> stale = server.get("/readyz");
      assertThat(stale.statusCode()).as("the last good policy is served").isEqualTo(200);
      JsonObject body = new JsonObject(stale.body());
      assertThat(body.getJsonObject("checks").getString("policies")).isEqualTo("ok");
      assertThat(body.getJsonObject("warnings").getString("policies"))
          .startsWith("stale: a change was refused at ")
          .contains("(" + problems.size() + " problem")
          .contains("in the log and the audit's policy.refused")
          .endsWith("the last good policy stays in force")
          .as("the problems quote the policy: not on an unauthenticated endpoint")
          .doesNotContain("forever");

      Files.writeString(file, GOOD + "# fixed\n");
      Eventually.until(
          "policy.reloaded in the audit", WAIT, () -> count(db, "policy.reloaded") == 1);
      HttpResponse<String> fixed = server.get("/readyz");
      assertThat(fixed.statusCode()).isEqualTo(200);
      JsonObject warnings =
          new JsonObject(fixed.body()).getJsonObject("warnings", new JsonObject());
      assertThat(warnings.containsKey("policies")).as("nothing left to warn of").isFalse();
    }
  }

  static long count(DatabaseUrl db, String type) throws Exception {
    return AuditTables.count(db, "type = '" + type + "'");
  }
}
