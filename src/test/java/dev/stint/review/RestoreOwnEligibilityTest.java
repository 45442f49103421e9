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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nobody restores their own eligibility (issue 68): an admin a review removed is refused their own
 * {@code POST /v1/eligibility/restore}, by (issuer, subject) and through a second issuer with the
 * same email, each refusal recorded as {@code review.refused}; another admin restores them.
 */
class RestoreOwnEligibilityTest {
  static final String AWS =
      "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\", mode: assume_role}\n";
  static DatabaseUrl database;
  static TestIdp corp;
  static TestIdp partner;
  static TestServer server;
  static ApiCalls api;

  @BeforeAll
  static void start() throws Exception {
    corp = new TestIdp("corp");
    partner = new TestIdp("partner");
    database = TestPostgres.migratedDatabase();
    server =
        TestServer.start(
            database,
            Map.of(),
            "issuers:\n"
                + corp.issuerYaml("corp")
                + partner.issuerYaml("partner")
                + "profiles:\n"
                + "  prod:\n"
                + AWS
                + "    max_duration: 1h\n"
                + "    requesters: '\"eng\" in principal.groups'\n"
                + "    approval: {count: 1, approvers: '\"leads\" in principal.groups'}\n"
                + "    access_review: {every: 90d, reviewers: '\"security\" in principal.groups',"
                + " due_in: 14d, when_overdue: keep}\n"
                + "admins: '\"admins\" in principal.groups'\n",
            new MutableClock(Instant.now()));
    api = new ApiCalls(server);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    corp.close();
    partner.close();
  }

  static ApiCalls.Answer restore(String token, String issuer, String subject) {
    return api.post(
        token,
        "/v1/eligibility/restore",
        new JsonObject()
            .put("profile", "prod")
            .put("issuer", issuer)
            .put("subject", subject)
            .encode());
  }

  static long refusedRestores(String issuer, String subject) throws Exception {
    return AuditTables.count(
        database,
        "type = 'review.refused' AND outcome = 'refused' AND profile = 'prod'"
            + " AND details->>'action' = 'restore' AND details->>'code' = 'forbidden'"
            + " AND actor_issuer = '"
            + issuer
            + "' AND actor_subject = '"
            + subject
            + "'");
  }

  static long stillSuspended() throws Exception {
    return Long.parseLong(
        AuditTables.strings(
                database,
                "SELECT count(*) FROM eligibility_suspensions WHERE subject = 'erin'"
                    + " AND profile = 'prod' AND restored_at IS NULL")
            .get(0));
  }

  @Test
  void anAdminAReviewRemovedCannotRestoreThemselvesThroughAnyIssuerButAnotherAdminCan()
      throws Exception {
    assertThat(api.get(corp.token("erin", "admins", "eng"), "/v1/profiles").status())
        .isEqualTo(200);
    Eventually.until(
        "erin is seen",
        Duration.ofSeconds(10),
        () ->
            AuditTables.strings(database, "SELECT count(*) FROM people_seen WHERE subject = 'erin'")
                .get(0)
                .equals("1"));
    ApiCalls.Answer opened =
        api.post(
            corp.token("pat", "admins"),
            "/v1/access-reviews",
            new JsonObject().put("profile", "prod").encode());
    assertThat(opened.status()).as(opened.body().toString()).isEqualTo(201);
    String id = opened.body().path("id").asText();
    ApiCalls.Answer removed =
        api.post(
            corp.token("carol", "security"),
            "/v1/access-reviews/" + id + "/decisions",
            new JsonObject()
                .put(
                    "items",
                    new JsonArray(
                        List.of(
                            new JsonObject()
                                .put("issuer", corp.issuer())
                                .put("subject", "erin")
                                .put("decision", "remove"))))
                .encode());
    assertThat(removed.status()).as(removed.body().toString()).isEqualTo(200);
    assertThat(stillSuspended()).isEqualTo(1);

    ApiCalls.Answer own = restore(corp.token("erin", "admins", "eng"), corp.issuer(), "erin");
    assertThat(own.status()).as(own.body().toString()).isEqualTo(403);
    assertThat(own.code()).isEqualTo("forbidden");
    assertThat(own.body().path("detail").asText()).contains("own eligibility");
    assertThat(refusedRestores(corp.issuer(), "erin")).as("the refusal is recorded").isEqualTo(1);

    ApiCalls.Answer elsewhere = restore(partner.token("erin", "admins"), corp.issuer(), "erin");
    assertThat(elsewhere.status())
        .as("erin@example.com through the partner issuer, an admin there too, is refused")
        .isEqualTo(403);
    assertThat(elsewhere.code()).isEqualTo("forbidden");
    assertThat(refusedRestores(partner.issuer(), "erin")).isEqualTo(1);
    assertThat(stillSuspended()).as("nothing refused was restored").isEqualTo(1);
    assertThat(AuditTables.count(database, "type = 'eligibility.restored'")).isZero();

    ApiCalls.Answer other = restore(corp.token("pat", "admins"), corp.issuer(), "erin");
    assertThat(other.status()).as(other.body().toString()).isEqualTo(200);
    assertThat(other.body().path("review").asText()).isEqualTo(id);
    assertThat(stillSuspended()).isZero();
  }
}
