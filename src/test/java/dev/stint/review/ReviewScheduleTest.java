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
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The schedule, on a real server without a directory: a profile that declares {@code access_review}
 * gets its first review one period after the schedule first finds it (a rollout opens nothing at
 * once), opened by stint, listing the people seen that its requesters rule lets request it, judged
 * from their claims; no second review opens while one is open.
 */
class ReviewScheduleTest {
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
                + "  sched:\n"
                + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\","
                + " mode: assume_role}\n"
                + "    max_duration: 1h\n"
                + "    requesters: '\"eng\" in principal.groups'\n"
                + "    approval: {count: 1, approvers: '\"leads\" in principal.groups'}\n"
                + "    access_review: {every: 30d, reviewers: '\"security\" in principal.groups',"
                + " due_in: 7d, when_overdue: keep}\n",
            clock);
    ApiCalls api = new ApiCalls(server);
    assertThat(api.get(idp.token("alice", "eng"), "/v1/profiles").status()).isEqualTo(200);
    assertThat(api.get(idp.token("bob", "sales"), "/v1/profiles").status()).isEqualTo(200);
    Eventually.until(
        "alice and bob are among the people seen",
        Duration.ofSeconds(10),
        () -> AuditTables.strings(database, "SELECT count(*) FROM people_seen").get(0).equals("2"));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
  }

  @Test
  void theFirstReviewOpensOnePeriodAfterTheDeclarationListingThePeopleSeenThenNoSecond()
      throws Exception {
    AuditTables.await(server.server().rounds().reviews());
    assertThat(AuditTables.count(database, "type = 'review.opened'"))
        .as("a rollout opens nothing at once")
        .isZero();
    Instant now = clock.instant();
    clock.advance(Duration.ofDays(31));
    try {
      AuditTables.await(server.server().rounds().reviews());
      AuditTables.await(server.server().rounds().reviews());
    } finally {
      clock.set(now.plusSeconds(1));
    }
    assertThat(
            AuditTables.strings(
                database, "SELECT COALESCE(opened_by_subject, 'schedule') FROM access_reviews"))
        .containsExactly("schedule");
    assertThat(
            AuditTables.strings(
                database,
                "SELECT subject || ' ' || (eligible_by->>'basis') FROM access_review_items"))
        .as("alice is eng; bob is not")
        .containsExactly("alice claims");
    assertThat(
            AuditTables.count(
                database,
                "type = 'review.opened' AND actor_subject = 'system' AND profile = 'sched'"))
        .as("one review, opened by stint, while one is open")
        .isEqualTo(1);
  }
}
