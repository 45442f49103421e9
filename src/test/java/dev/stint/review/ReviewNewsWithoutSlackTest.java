package dev.stint.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.ApiCalls;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.MutableClock;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Without Slack, reviewers are told nothing and the sweep goes on as before: the opening and the
 * reminder are still claimed (so turning Slack on later does not announce old news), and no sweep
 * fails.
 */
class ReviewNewsWithoutSlackTest {
  static DatabaseUrl database;
  static TestIdp idp;
  static TestServer server;
  static MutableClock clock = new MutableClock(Instant.now());

  @BeforeAll
  static void start() throws Exception {
    idp = new TestIdp("corp");
    database = TestPostgres.migratedDatabase();
    server =
        TestServer.start(
            database,
            Map.of(),
            "issuers:\n"
                + idp.issuerYaml("corp")
                + "profiles:\n"
                + "  prod:\n"
                + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\","
                + " mode: assume_role}\n"
                + "    max_duration: 1h\n"
                + "    requesters: '\"eng\" in principal.groups'\n"
                + "    approval: {count: 1, approvers: '\"leads\" in principal.groups'}\n"
                + "    access_review: {every: 90d, reviewers: '\"security\" in principal.groups',"
                + " due_in: 2d, when_overdue: keep}\n"
                + "admins: '\"admins\" in principal.groups'\n",
            clock);
    ApiCalls api = new ApiCalls(server);
    assertThat(api.get(idp.token("alice", "eng"), "/v1/profiles").status()).isEqualTo(200);
    Eventually.until(
        "alice is among the people seen",
        Duration.ofSeconds(10),
        () -> AuditTables.strings(database, "SELECT count(*) FROM people_seen").get(0).equals("1"));
    ApiCalls.Answer opened =
        api.post(
            idp.token("adam", "admins"),
            "/v1/access-reviews",
            new JsonObject().put("profile", "prod").encode());
    assertThat(opened.status()).as(opened.body().toString()).isEqualTo(201);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
  }

  @Test
  void theOpeningAndTheReminderAreClaimedAndNoSweepFails() throws Exception {
    AuditTables.await(server.server().rounds().reviews());
    assertThat(claimed()).as("announced, not yet reminded").isEqualTo("true false");

    // due_in 2d: the reminder's moment is a day before the due date.
    clock.advance(Duration.ofDays(1).plusMinutes(1));
    AuditTables.await(server.server().rounds().reviews());
    AuditTables.await(server.server().rounds().reviews());

    assertThat(claimed()).isEqualTo("true true");
  }

  static String claimed() throws Exception {
    return AuditTables.strings(
            database,
            "SELECT (announced_at IS NOT NULL) || ' ' || (reminded_at IS NOT NULL)"
                + " FROM access_reviews")
        .get(0);
  }
}
