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
 * A profile whose scheduled review cannot open (more people seen than one review judges) keeps no
 * other review from closing when due: the sweep goes on, the due review of another profile with
 * {@code when_overdue: suspend} closes and suspends, and the failure is recorded once as {@code
 * review.refused} by stint, not retried every minute.
 */
class ReviewSweepIsolationTest {
  static final String AWS =
      "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\", mode: assume_role}\n";
  static DatabaseUrl database;
  static TestIdp idp;
  static TestServer server;
  static ApiCalls api;
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
                + "  db:\n"
                + AWS
                + "    max_duration: 1h\n"
                + "    requesters: '\"dba\" in principal.groups'\n"
                + "    approval: {count: 1, approvers: '\"leads\" in principal.groups',"
                + " auto_approve: 'true'}\n"
                + "    access_review: {every: 30d, reviewers: '\"security\" in principal.groups',"
                + " due_in: 1d, when_overdue: suspend}\n"
                + "  daily:\n"
                + AWS
                + "    max_duration: 1h\n"
                + "    requesters: '\"eng\" in principal.groups'\n"
                + "    approval: {count: 1, approvers: '\"leads\" in principal.groups'}\n"
                + "    access_review: {every: 1d, reviewers: '\"security\" in principal.groups',"
                + " due_in: 1d, when_overdue: keep}\n"
                + "admins: '\"admins\" in principal.groups'\n",
            clock);
    api = new ApiCalls(server);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
  }

  @Test
  void aReviewThatCannotOpenKeepsNoDueReviewOpen() throws Exception {
    assertThat(api.get(idp.token("dan", "dba"), "/v1/profiles").status()).isEqualTo(200);
    Eventually.until(
        "dan is among the people seen",
        Duration.ofSeconds(10),
        () ->
            AuditTables.count(database, "true") >= 0
                && AuditTables.strings(database, "SELECT count(*) FROM people_seen")
                    .get(0)
                    .equals("1"));
    ApiCalls.Answer opened =
        api.post(
            idp.token("erin", "admins"),
            "/v1/access-reviews",
            new JsonObject().put("profile", "db").encode());
    assertThat(opened.status()).as(opened.body().toString()).isEqualTo(201);
    String id = opened.body().path("id").asText();
    AuditTables.await(server.server().rounds().reviews()); // declares 'daily' now
    AuditTables.execute(
        TestPostgres.asSuperuser(database),
        "INSERT INTO people_seen (issuer, subject, principal, seen_at)"
            + " SELECT 'https://other.example', 'p' || g, '{}'::jsonb, now() - interval '1 day'"
            + " FROM generate_series(1, 20001) g");
    Instant now = clock.instant();
    clock.advance(Duration.ofDays(2));
    try {
      AuditTables.await(server.server().rounds().reviews());
      AuditTables.await(server.server().rounds().reviews());
    } finally {
      clock.set(now.plusSeconds(1));
    }
    assertThat(
            AuditTables.strings(
                database, "SELECT state FROM access_reviews WHERE id = '" + id + "'"))
        .as("the db review closes when due whatever became of daily's")
        .containsExactly("closed");
    assertThat(AuditTables.count(database, "type = 'eligibility.suspended'")).isEqualTo(1);
    assertThat(
            AuditTables.count(
                database,
                "type = 'review.refused' AND profile = 'daily' AND actor_subject = 'system'"
                    + " AND details->>'action' = 'open'"))
        .as("recorded once, then left for an hour")
        .isEqualTo(1);
  }
}
