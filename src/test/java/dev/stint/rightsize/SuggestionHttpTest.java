package dev.stint.rightsize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/profiles/{name}/suggestion} through a running server: who may read it, the
 * statuses of bad input, the refusal recorded, and a profile with no calls answered empty.
 */
class SuggestionHttpTest {
  static final String POLICY =
      """
      auditors: 'principal.groups.exists(g, g == "security")'
      admins: 'principal.groups.exists(g, g == "ops")'
      profiles:
        prod:
          aws: {role_arn: 'arn:aws:iam::111122223333:role/prod', mode: assume_role}
          max_duration: 1h
          requesters: 'true'
          approval: {count: 1, approvers: 'true'}
      """;

  static TestIdp idp;
  static DatabaseUrl db;
  static TestServer server;

  @BeforeAll
  static void start() {
    idp = new TestIdp("corp");
    db = TestPostgres.migratedDatabase();
    server = TestServer.start(db, Map.of(), "issuers:\n" + idp.issuerYaml("corp") + POLICY);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
  }

  static HttpResponse<String> get(String token, String path) {
    return server.send(
        HttpRequest.newBuilder(server.uri(path))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build());
  }

  @Test
  void anEngineerIsRefusedAndTheRefusalIsRecorded() throws Exception {
    HttpResponse<String> r = get(idp.token("eve", "eng"), "/v1/profiles/prod/suggestion");

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).doesNotContain("suggested_policy");
    assertThat(
            AuditTables.strings(
                db,
                "SELECT actor_subject FROM audit_events WHERE type = 'suggestion.refused'"
                    + " AND actor_subject = 'eve'"))
        .containsExactly("eve");
  }

  @Test
  void anUnknownProfileIsNotFoundAndABadSinceIsRefusedEachRecorded() throws Exception {
    String auditor = idp.token("ann", "security");

    assertThat(get(auditor, "/v1/profiles/nope/suggestion").statusCode()).isEqualTo(404);
    assertThat(get(auditor, "/v1/profiles/prod/suggestion?since=forever").statusCode())
        .isEqualTo(400);
    assertThat(get(auditor, "/v1/profiles/prod/suggestion?since=7d&since=9d").statusCode())
        .isEqualTo(400);
    assertThat(
            AuditTables.strings(
                db,
                "SELECT profile || ' ' || (details ->> 'code') FROM audit_events"
                    + " WHERE type = 'suggestion.refused' AND actor_subject = 'ann'"
                    + " ORDER BY seq"))
        .containsExactly("nope not_found", "prod invalid_request", "prod invalid_request");
  }

  @Test
  void anAuditorAndAnAdminReadAProfileWithNoCallsAsEmpty() {
    for (String token : List.of(idp.token("ann", "security"), idp.token("oz", "ops"))) {
      HttpResponse<String> r = get(token, "/v1/profiles/prod/suggestion?since=90d");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonObject answer = new JsonObject(r.body());
      assertThat(answer.getString("profile")).isEqualTo("prod");
      assertThat(answer.getLong("calls")).isZero();
      assertThat(answer.getJsonArray("observed")).isEmpty();
      assertThat(answer.getBoolean("empty")).isTrue();
    }
  }

  @Test
  void withoutATokenNothingIsSaid() {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/profiles/prod/suggestion")).GET().build());

    assertThat(r.statusCode()).isEqualTo(401);
  }
}
