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
 * Nobody decides their own item, through a second issuer either: a reviewer signed in through
 * another identity provider with the same email is refused their own item, as every other check
 * against deciding for oneself refuses it ({@code Person.mightBe}).
 */
class ReviewOwnItemTest {
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

  static ApiCalls.Answer keep(String token, String id, String issuer, String subject) {
    return api.post(
        token,
        "/v1/access-reviews/" + id + "/decisions",
        new JsonObject()
            .put(
                "items",
                new JsonArray(
                    List.of(
                        new JsonObject()
                            .put("issuer", issuer)
                            .put("subject", subject)
                            .put("decision", "keep"))))
            .encode());
  }

  @Test
  void aReviewerIsRefusedTheirOwnItemThroughASecondIssuer() throws Exception {
    assertThat(api.get(corp.token("carol", "eng"), "/v1/profiles").status()).isEqualTo(200);
    Eventually.until(
        "carol is seen",
        Duration.ofSeconds(10),
        () ->
            AuditTables.strings(
                    database, "SELECT count(*) FROM people_seen WHERE subject = 'carol'")
                .get(0)
                .equals("1"));
    ApiCalls.Answer opened =
        api.post(
            corp.token("erin", "admins"),
            "/v1/access-reviews",
            new JsonObject().put("profile", "prod").encode());
    assertThat(opened.status()).as(opened.body().toString()).isEqualTo(201);
    String id = opened.body().path("id").asText();
    assertThat(opened.body().path("items").toString()).contains("carol@example.com");

    ApiCalls.Answer same = keep(corp.token("carol", "security"), id, corp.issuer(), "carol");
    assertThat(same.status()).as("the same identity is refused").isEqualTo(403);

    ApiCalls.Answer other = keep(partner.token("carol", "security"), id, corp.issuer(), "carol");
    assertThat(other.status())
        .as("carol@example.com through the partner issuer is refused carol@example.com's item")
        .isEqualTo(403);
    assertThat(
            AuditTables.count(
                database, "type = 'review.decided' AND details->>'review_id' = '" + id + "'"))
        .isZero();
  }
}
