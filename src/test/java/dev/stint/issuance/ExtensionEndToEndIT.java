package dev.stint.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditTables;
import dev.stint.testing.FakeSts;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Extensions through a real server, the real AWS SDK and a fake STS: an unapproved extension
 * changes nothing; once approved, the next credential carries the new end (session policy and
 * expiration); max_total and self-approval are refused and audited.
 */
class ExtensionEndToEndIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static FakeSts sts;
  static TestIdp idp;
  static DatabaseUrl db;
  static TestServer server;

  static String policy(TestIdp idp) {
    String aws =
        "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\", mode: assume_role}\n";
    return "issuers:\n"
        + idp.issuerYaml("corp")
        + "profiles:\n"
        + "  ext:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'principal.groups.exists(g, g == \"eng\")'\n"
        + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n"
        + "    extension: {max_total: 1h, approval: required}\n"
        + "  quick:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'false', auto_approve: 'true'}\n"
        + "    extension: {max_total: 2h, approval: auto}\n"
        + "  fixed:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'false', auto_approve: 'true'}\n";
  }

  @BeforeAll
  static void start() {
    System.setProperty("aws.accessKeyId", "AKIASTINTE2ETEST0003");
    System.setProperty("aws.secretAccessKey", "stint-e2e-test-secret-not-real-0000000000");
    sts = new FakeSts();
    idp = new TestIdp("corp");
    db = TestPostgres.migratedDatabase();
    server =
        TestServer.start(
            db,
            Map.of("STINT_AWS_STS_ENDPOINT", sts.uri().toString(), "STINT_AWS_REGION", "eu-west-1"),
            policy(idp));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
    sts.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  record Answer(int status, JsonNode body) {}

  static Answer post(String token, String path, String body) {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri(path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    try {
      return new Answer(r.statusCode(), JSON.readTree(r.body()));
    } catch (IOException e) {
      throw new AssertionError(r.body(), e);
    }
  }

  static String alice() {
    return idp.token("alice", "eng");
  }

  /** The session policy's time cap and the answer's expiration of one minted credential. */
  record Minted(String timeCap, Instant expiration) {}

  static Minted mint(String profile) {
    Answer a = post(alice(), "/v1/credentials", "{\"profile\":\"" + profile + "\"}");
    assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
    String key = a.body().get("access_key_id").asText();
    String accessKey =
        sts.issued().stream()
            .filter(i -> i.accessKeyId().equals(key))
            .findFirst()
            .orElseThrow()
            .accessKeyId();
    // var: the fake's call record type lives in different packages on different branches.
    var calls =
        sts.calls().stream().filter(c -> profile.equals(c.param("Tags.member.2.Value"))).toList();
    String policy = calls.get(calls.size() - 1).param("Policy");
    assertThat(accessKey).isEqualTo(key);
    return new Minted(
        policy.replaceAll(".*\"aws:CurrentTime\":\"([^\"]+)\".*", "$1"),
        Instant.parse(a.body().get("expiration").asText()));
  }

  @Test
  void anApprovedExtensionMovesTheNextCredentialsEndAndAnUnapprovedOneChangesNothing()
      throws Exception {
    Answer created =
        post(
            alice(),
            "/v1/requests",
            "{\"profile\":\"ext\",\"duration_seconds\":1200,\"reason\":\"INC-7\"}");
    String id = created.body().get("id").asText();
    Answer approved = post(idp.token("bob", "sre"), "/v1/requests/" + id + "/approve", "{}");
    Instant end = Instant.parse(approved.body().path("grant").path("ends_at").asText());
    Minted before = mint("ext");
    assertThat(before.timeCap()).isEqualTo(end.truncatedTo(ChronoUnit.SECONDS).toString());

    Answer asked =
        post(
            alice(),
            "/v1/requests/" + id + "/extend",
            "{\"duration_seconds\":1200,\"reason\":\"still fixing INC-7\"}");
    assertThat(asked.status()).as(asked.body().toString()).isEqualTo(201);
    assertThat(asked.body().get("state").asText()).isEqualTo("pending");
    String ext = asked.body().get("id").asText();
    assertThat(ext).startsWith("ext_");

    Minted pending = mint("ext");
    assertThat(pending.timeCap())
        .as("an unapproved extension changes nothing")
        .isEqualTo(before.timeCap());
    assertThat(pending.expiration()).isBeforeOrEqualTo(end);
    Answer again = post(alice(), "/v1/requests/" + id + "/extend", "{\"duration_seconds\":60}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body().get("detail").asText()).contains("still pending");

    Answer self =
        post(idp.token("alice", "eng", "sre"), "/v1/extensions/" + ext + "/approve", "{}");
    assertThat(self.status()).isEqualTo(403);
    assertThat(self.body().get("detail").asText())
        .isEqualTo("you cannot approve your own extension");

    Answer ok = post(idp.token("carol", "sre"), "/v1/extensions/" + ext + "/approve", "{}");
    assertThat(ok.status()).as(ok.body().toString()).isEqualTo(200);
    assertThat(ok.body().get("state").asText()).isEqualTo("approved");
    Instant newEnd = end.plus(Duration.ofMinutes(20));
    assertThat(Instant.parse(ok.body().get("grant_ends_at").asText())).isEqualTo(newEnd);

    Minted after = mint("ext");
    assertThat(after.timeCap()).isEqualTo(newEnd.truncatedTo(ChronoUnit.SECONDS).toString());
    assertThat(after.expiration()).isAfter(end).isBeforeOrEqualTo(newEnd);
    HttpResponse<String> shown = server.get("/v1/requests/" + id, alice());
    assertThat(JSON.readTree(shown.body()).path("grant").path("ends_at").asText())
        .isEqualTo(newEnd.toString());

    Answer tooLong =
        post(
            alice(),
            "/v1/requests/" + id + "/extend",
            "{\"duration_seconds\":1800,\"reason\":\"more\"}");
    assertThat(tooLong.status()).isEqualTo(403);
    assertThat(tooLong.body().get("detail").asText())
        .isEqualTo(
            "extending by 30m would make the"
                + " grant last 1h10m; profile 'ext' allows at most 1h from its start (20m left to extend)");
    assertThat(
            AuditTables.strings(
                db, "SELECT type FROM audit_events WHERE request_id = '" + id + "' ORDER BY seq"))
        .containsSubsequence(
            "request.created",
            "request.approved",
            "credential.issued",
            "grant.extension_requested",
            "credential.issued",
            "request.refused",
            "request.refused",
            "grant.extended",
            "credential.issued",
            "request.refused");
    assertThat(
            AuditTables.strings(
                db,
                "SELECT details->>'new_ends_at' FROM audit_events WHERE"
                    + " type = 'grant.extended' AND request_id = '"
                    + id
                    + "'"))
        .containsExactly(newEnd.toString());
  }

  @Test
  void aDeniedExtensionChangesNothing() throws Exception {
    Answer created =
        post(
            idp.token("dave", "eng"),
            "/v1/requests",
            "{\"profile\":\"ext\",\"duration_seconds\":600,\"reason\":\"x\"}");
    String id = created.body().get("id").asText();
    Answer approved = post(idp.token("bob", "sre"), "/v1/requests/" + id + "/approve", "{}");
    String end = approved.body().path("grant").path("ends_at").asText();
    String ext =
        post(
                idp.token("dave", "eng"),
                "/v1/requests/" + id + "/extend",
                "{\"duration_seconds\":600}")
            .body()
            .get("id")
            .asText();
    Answer denied = post(idp.token("bob", "sre"), "/v1/extensions/" + ext + "/deny", "{}");
    assertThat(denied.body().get("state").asText()).isEqualTo("denied");
    assertThat(
            JSON.readTree(server.get("/v1/requests/" + id, idp.token("dave", "eng")).body())
                .path("grant")
                .path("ends_at")
                .asText())
        .isEqualTo(end);
    Answer late = post(idp.token("carol", "sre"), "/v1/extensions/" + ext + "/approve", "{}");
    assertThat(late.status()).isEqualTo(409);
  }

  @Test
  void autoExtensionsApplyAtOnceAndProfilesWithoutARuleRefuse() throws Exception {
    Answer quick =
        post(alice(), "/v1/requests", "{\"profile\":\"quick\",\"duration_seconds\":600}");
    String id = quick.body().get("id").asText();
    Instant end = Instant.parse(quick.body().path("grant").path("ends_at").asText());
    Answer ext = post(alice(), "/v1/requests/" + id + "/extend", "{\"duration_seconds\":600}");
    assertThat(ext.status()).isEqualTo(201);
    assertThat(ext.body().get("state").asText()).isEqualTo("approved");
    assertThat(Instant.parse(ext.body().get("grant_ends_at").asText()))
        .isEqualTo(end.plus(Duration.ofMinutes(10)));
    assertThat(mint("quick").timeCap())
        .isEqualTo(end.plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS).toString());
    assertThat(
            AuditTables.strings(
                db,
                "SELECT type FROM audit_events WHERE request_id = '"
                    + id
                    + "' AND type LIKE 'grant.ext%' ORDER BY seq"))
        .containsExactly("grant.extension_requested", "grant.extended");

    Answer fixed =
        post(alice(), "/v1/requests", "{\"profile\":\"fixed\",\"duration_seconds\":600}");
    Answer refused =
        post(
            alice(),
            "/v1/requests/" + fixed.body().get("id").asText() + "/extend",
            "{\"duration_seconds\":60}");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body().get("detail").asText())
        .isEqualTo("profile 'fixed' does not allow extensions (it has no 'extension' rule)");
    JsonNode profiles = JSON.readTree(server.get("/v1/profiles", alice()).body()).path("profiles");
    Map<String, JsonNode> byName = new HashMap<>();
    profiles.forEach(p -> byName.put(p.path("name").asText(), p));
    assertThat(byName.get("quick").path("extension").toString())
        .isEqualTo("{\"max_total\":\"2h\",\"max_total_seconds\":7200,\"approval\":\"auto\"}");
    assertThat(byName.get("fixed").path("extension").isNull()).isTrue();
    Answer other =
        post(
            idp.token("mallory", "eng"),
            "/v1/requests/" + id + "/extend",
            "{\"duration_seconds\":60}");
    assertThat(other.status()).as("someone else's request is not even visible").isEqualTo(404);
  }

  /**
   * The list pages by a cursor: every extension once, newest first, across pages of two; a cursor
   * that is not one of this list's, or a bad limit, is refused and nothing is listed.
   */
  @Test
  void extensionsArePagedByACursorNewestFirst() throws Exception {
    List<String> mine = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Answer created =
          post(
              idp.token("dave", "eng"),
              "/v1/requests",
              "{\"profile\":\"ext\",\"duration_seconds\":600,\"reason\":\"INC-8" + i + "\"}");
      String id = created.body().get("id").asText();
      assertThat(post(idp.token("bob", "sre"), "/v1/requests/" + id + "/approve", "{}").status())
          .isEqualTo(200);
      Answer ext =
          post(
              idp.token("dave", "eng"),
              "/v1/requests/" + id + "/extend",
              "{\"duration_seconds\":600}");
      assertThat(ext.status()).as(ext.body().toString()).isEqualTo(201);
      mine.add(ext.body().get("id").asText());
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    List<String> cursors = new ArrayList<>();
    int pages = 0;
    do {
      HttpResponse<String> page =
          server.get(
              "/v1/extensions?state=pending&limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
              idp.token("bob", "sre"));
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      JsonNode body = JSON.readTree(page.body());
      assertThat(body.get("extensions").size()).isLessThanOrEqualTo(2);
      body.get("extensions").forEach(e -> seen.add(e.get("id").asText()));
      cursor = body.hasNonNull("next_cursor") ? body.get("next_cursor").asText() : null;
      if (cursor != null) {
        cursors.add(
            cursor
                + new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.ISO_8859_1));
      }
      pages++;
    } while (cursor != null && pages < 50);
    // Sealed: a cursor names no extension (the last one read may be one the caller cannot see).
    assertThat(cursors)
        .isNotEmpty()
        .allSatisfy(
            c -> {
              assertThat(c).doesNotContain("ext:");
              seen.forEach(id -> assertThat(c).doesNotContain(id));
            });
    assertThat(cursor).as("the last page has no cursor").isNull();
    assertThat(seen).doesNotHaveDuplicates().containsAll(mine);
    assertThat(seen.indexOf(mine.get(2))).as("newest first").isLessThan(seen.indexOf(mine.get(1)));
    assertThat(seen.indexOf(mine.get(1))).isLessThan(seen.indexOf(mine.get(0)));
    assertThat(pages).isGreaterThanOrEqualTo(2);

    String requestCursor =
        JSON.readTree(server.get("/v1/requests?limit=1", idp.token("bob", "sre")).body())
            .get("next_cursor")
            .asText();
    for (String bad :
        List.of("cursor=" + requestCursor, "cursor=not-a-cursor", "limit=0", "limit=501")) {
      HttpResponse<String> refused = server.get("/v1/extensions?" + bad, idp.token("bob", "sre"));
      assertThat(refused.statusCode()).as(bad).isEqualTo(400);
      assertThat(refused.body()).doesNotContain("not-a-cursor");
    }
  }
}
