package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.config.DatabaseUrl;
import dev.stint.testing.ApiCalls;
import dev.stint.testing.ApiCalls.Answer;
import dev.stint.testing.AuditTables;
import dev.stint.testing.CliRun;
import dev.stint.testing.Eventually;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bundles: one request for several profiles, one reason and one approval round. The approval is the
 * strictest of the profiles' (highest count; a vote counts only if the voter satisfies every
 * profile's rule, else it counts on none); once approved each profile has its own grant, which is
 * revoked on its own; the audit ties the requests together.
 */
class BundlesEndToEndIT {
  static TestIdp idp;
  static DatabaseUrl db;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    idp = new TestIdp("corp");
    String aws =
        "    aws: {role_arn: \"arn:aws:iam::111122223333:role/ROLE\", mode: assume_role}\n";
    String policy =
        "auditors: 'principal.groups.exists(g, g == \"security\")'\n"
            + "issuers:\n"
            + idp.issuerYaml("corp")
            + "profiles:\n"
            + "  db-read:\n"
            + aws.replace("ROLE", "db-read")
            + "    max_duration: 2h\n"
            + "    requesters: 'true'\n"
            + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n"
            + "  db-write:\n"
            + aws.replace("ROLE", "db-write")
            + "    max_duration: 2h\n"
            + "    requesters: 'true'\n"
            + "    approval: {count: 2, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n"
            + "  pager:\n"
            + aws.replace("ROLE", "pager")
            + "    max_duration: 1h\n"
            + "    requesters: 'true'\n"
            + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"oncall\")'}\n"
            + "  vault:\n"
            + aws.replace("ROLE", "vault")
            + "    max_duration: 1h\n"
            + "    requesters: 'principal.groups.exists(g, g == \"sre\")'\n"
            + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n"
            + "  locked:\n"
            + aws.replace("ROLE", "locked")
            + "    max_duration: 1h\n"
            + "    requesters: 'true'\n"
            + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"nobody\")'}\n"
            + staged("stg-a", 1)
            + staged("stg-b", 2)
            + "bundles:\n"
            + "  incident: {profiles: [db-read, db-write, pager], description: 'Database incident'}\n";
    db = TestPostgres.migratedDatabase();
    server = TestServer.start(db, Map.of(), policy);
    for (String[] p :
        new String[][] {
          {"bob", "sre", "oncall"},
          {"dave", "sre", "oncall"},
          {"erin", "sre"},
          {"lee", "leads"},
          {"sam", "security"},
          {"sue", "security"}
        }) {
      call(idp.token(p[0], p[1], p.length > 2 ? p[2] : p[1]), "GET", "/v1/whoami", null);
    }
    Eventually.until(
        "approvers are seen",
        Duration.ofSeconds(10),
        () -> AuditTables.strings(db, "SELECT subject FROM people_seen").size() >= 6);
  }

  /** A profile approved by a lead, then by {@code security} people from security. */
  static String staged(String name, int security) {
    return "  "
        + name
        + ":\n"
        + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/"
        + name
        + "\", mode: assume_role}\n"
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval:\n"
        + "      stages:\n"
        + "        - {name: lead, count: 1, approvers: 'principal.groups.exists(g, g == \"leads\")'}\n"
        + "        - {name: security, count: "
        + security
        + ", approvers: 'principal.groups.exists(g, g == \"security\")'}\n";
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
  }

  static Answer call(String token, String method, String path, String body) {
    return new ApiCalls(server).call(token, method, path, body);
  }

  static String bob() {
    return idp.token("bob", "sre", "oncall");
  }

  static String dave() {
    return idp.token("dave", "sre", "oncall");
  }

  static String alice() {
    return idp.token("alice", "eng");
  }

  static JsonNode bundle(String body) {
    Answer a = call(alice(), "POST", "/v1/requests", body);
    assertThat(a.status()).as(a.body().toString()).isEqualTo(201);
    return a.body();
  }

  static List<String> ids(JsonNode bundle) {
    List<String> out = new ArrayList<>();
    bundle.get("requests").forEach(r -> out.add(r.get("id").asText()));
    return out;
  }

  @Test
  void aBundleOfStagedProfilesIsDecidedStageByStageAtTheStrictestCounts() throws Exception {
    JsonNode made =
        bundle(
            "{\"profiles\":[\"stg-a\",\"stg-b\"],\"duration_seconds\":1800,"
                + "\"reason\":\"INC-40 staged bundle\"}");
    String id = made.get("id").asText();
    assertThat(made.get("stage").asText()).isEqualTo("lead");
    made.get("requests")
        .forEach(
            r ->
                assertThat(r.get("stages").toString())
                    .isEqualTo(
                        "[{\"name\":\"lead\",\"count\":1,\"votes\":0,\"state\":\"open\"},"
                            + "{\"name\":\"security\",\"count\":2,\"votes\":0,"
                            + "\"state\":\"waiting\"}]"));
    Answer early =
        call(idp.token("sam", "security"), "POST", "/v1/requests/" + id + "/approve", "{}");
    assertThat(early.status()).isEqualTo(409);
    assertThat(early.body().get("code").asText()).isEqualTo("stage_not_open");

    assertThat(
            call(idp.token("lee", "leads"), "POST", "/v1/requests/" + id + "/approve", "{}")
                .status())
        .isEqualTo(200);
    assertThat(
            call(idp.token("sam", "security"), "POST", "/v1/requests/" + id + "/approve", "{}")
                .status())
        .isEqualTo(200);
    JsonNode half = call(alice(), "GET", "/v1/requests/" + id, null).body();
    assertThat(half.get("state").asText()).isEqualTo("pending");
    assertThat(half.get("stage").asText()).isEqualTo("security");
    assertThat(
            call(idp.token("sue", "security"), "POST", "/v1/requests/" + id + "/approve", "{}")
                .status())
        .isEqualTo(200);
    JsonNode done = call(alice(), "GET", "/v1/requests/" + id, null).body();
    assertThat(done.get("state").asText()).isIn("approved", "active");
    assertThat(done.get("grants").size()).isEqualTo(2);
  }

  /**
   * The security review's C1: a bundle listed in the request, not checked when the policy loaded,
   * is refused (and recorded) when its profiles approve in different stages, in either order.
   */
  @Test
  void aListedBundleOfProfilesWithUnlikeStagesIsRefused() throws Exception {
    for (String listed : List.of("[\"db-read\",\"stg-a\"]", "[\"stg-a\",\"db-read\"]")) {
      Answer a =
          call(
              alice(),
              "POST",
              "/v1/requests",
              "{\"profiles\":" + listed + ",\"duration_seconds\":1800,\"reason\":\"INC-40\"}");
      assertThat(a.status()).as(listed + ": " + a.body()).isEqualTo(400);
      assertThat(a.body().get("detail").asText())
          .contains("these profiles approve in different stages");
    }
    assertThat(
            AuditTables.strings(
                db,
                "SELECT count(*) FROM audit_events WHERE type = 'request.refused'"
                    + " AND reason LIKE '%approve in different stages%'"))
        .containsExactly("2");
  }

  @Test
  void approveOnceThreeGrantsRevokeOne() throws Exception {
    JsonNode made =
        bundle(
            "{\"profiles\":[\"db-read\",\"db-write\",\"pager\"],"
                + "\"duration_seconds\":1800,\"reason\":\"INC-42 replica lag\"}");
    String id = made.get("id").asText();
    assertThat(id).startsWith("bdl_");
    assertThat(made.get("state").asText()).isEqualTo("pending");
    assertThat(made.get("profiles").toString()).isEqualTo("[\"db-read\",\"db-write\",\"pager\"]");
    // The strictest count of the three applies to each.
    made.get("requests").forEach(r -> assertThat(r.get("approvals_required").asInt()).isEqualTo(2));
    List<String> members = ids(made);

    // A vote on any one request of the bundle is a vote on all of them.
    assertThat(call(bob(), "POST", "/v1/requests/" + members.get(0) + "/approve", "{}").status())
        .isEqualTo(200);
    JsonNode half = call(alice(), "GET", "/v1/requests/" + id, null).body();
    half.get("requests").forEach(r -> assertThat(r.get("approvals").size()).isEqualTo(1));
    assertThat(half.get("state").asText()).isEqualTo("pending");

    Answer done = call(dave(), "POST", "/v1/requests/" + id + "/approve", "{}");
    assertThat(done.status()).as(done.body().toString()).isEqualTo(200);
    assertThat(done.body().get("state").asText()).isEqualTo("active");
    JsonNode grants = done.body().get("grants");
    assertThat(grants).hasSize(3);
    HashSet<String> grantIds = new HashSet<>();
    grants.forEach(g -> grantIds.add(g.get("id").asText()));
    assertThat(grantIds).hasSize(3);

    // Each grant is revoked on its own.
    assertThat(call(alice(), "POST", "/v1/requests/" + members.get(1) + "/revoke", "{}").status())
        .isEqualTo(200);
    JsonNode after = call(alice(), "GET", "/v1/requests/" + id, null).body();
    assertThat(after.get("state").asText()).isEqualTo("mixed");
    assertThat(after.get("requests").get(0).get("state").asText()).isEqualTo("active");
    assertThat(after.get("requests").get(1).get("state").asText()).isEqualTo("revoked");
    assertThat(after.get("requests").get(2).get("state").asText()).isEqualTo("active");

    // The audit ties them together, and each member names its bundle.
    String audit =
        call(idp.token("sam", "security"), "GET", "/v1/audit?type=bundle.created&limit=50", null)
            .body()
            .toString();
    assertThat(audit).contains(id, members.get(0) + ":db-read", members.get(2) + ":pager");
    assertThat(
            call(alice(), "GET", "/v1/requests/" + members.get(2), null)
                .body()
                .get("bundle")
                .get("id")
                .asText())
        .isEqualTo(id);
  }

  @Test
  void aVoteThatDoesNotCountOnEveryProfileCountsOnNone() {
    JsonNode made =
        bundle("{\"bundle\":\"incident\",\"duration_seconds\":1800," + "\"reason\":\"INC-43\"}");
    assertThat(made.get("bundle").asText()).isEqualTo("incident");
    String id = made.get("id").asText();
    // erin is sre but not oncall: she may approve db-read and db-write, not pager.
    Answer refused =
        call(idp.token("erin", "sre"), "POST", "/v1/requests/" + id + "/approve", "{}");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body().toString()).contains("profile 'pager'");
    JsonNode now = call(alice(), "GET", "/v1/requests/" + id, null).body();
    now.get("requests").forEach(r -> assertThat(r.get("approvals").size()).isZero());
    // Nor can the requester decide her own bundle, through any of its requests.
    assertThat(
            call(
                    idp.token("alice", "sre", "oncall"),
                    "POST",
                    "/v1/requests/" + ids(made).get(0) + "/approve",
                    "{}")
                .status())
        .isEqualTo(403);
  }

  @Test
  void cancellingOneRequestCancelsTheBundle() {
    JsonNode made =
        bundle(
            "{\"profiles\":[\"db-read\",\"pager\"],\"duration_seconds\":600,"
                + "\"reason\":\"INC-44\"}");
    assertThat(call(alice(), "POST", "/v1/requests/" + ids(made).get(1) + "/cancel", "{}").status())
        .isEqualTo(200);
    JsonNode now = call(alice(), "GET", "/v1/requests/" + made.get("id").asText(), null).body();
    assertThat(now.get("state").asText()).isEqualTo("cancelled");
  }

  @Test
  void badBundlesAreRefusedAndCreateNothing() throws Exception {
    long before =
        Long.parseLong(AuditTables.strings(db, "SELECT count(*) FROM access_requests").get(0));
    // alice may not request vault: the whole bundle is refused, naming it.
    Answer notAllowed =
        call(
            alice(),
            "POST",
            "/v1/requests",
            "{\"profiles\":[\"db-read\","
                + "\"vault\"],\"duration_seconds\":600,\"reason\":\"x\"}");
    assertThat(notAllowed.status()).isEqualTo(403);
    // Longer than one profile's maximum.
    Answer tooLong =
        call(
            alice(),
            "POST",
            "/v1/requests",
            "{\"profiles\":[\"db-read\","
                + "\"pager\"],\"duration_seconds\":5400,\"reason\":\"x\"}");
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.body().toString()).contains("pager");
    // No one stint has seen could approve "locked".
    Answer nobody =
        call(
            alice(),
            "POST",
            "/v1/requests",
            "{\"profiles\":[\"db-read\","
                + "\"locked\"],\"duration_seconds\":600,\"reason\":\"x\"}");
    assertThat(nobody.status()).isEqualTo(403);
    assertThat(nobody.body().toString()).contains("no one could approve this bundle");
    assertThat(
            call(
                    alice(),
                    "POST",
                    "/v1/requests",
                    "{\"bundle\":\"nope\"," + "\"duration_seconds\":600,\"reason\":\"x\"}")
                .status())
        .isEqualTo(404);
    assertThat(
            call(
                    alice(),
                    "POST",
                    "/v1/requests",
                    "{\"profiles\":[\"db-read\"]," + "\"duration_seconds\":600,\"reason\":\"x\"}")
                .status())
        .isEqualTo(400);
    assertThat(
            call(
                    alice(),
                    "POST",
                    "/v1/requests",
                    "{\"profiles\":[\"db-read\",\"db-read\"],"
                        + "\"duration_seconds\":600,\"reason\":\"x\"}")
                .status())
        .isEqualTo(400);
    assertThat(
            call(
                    alice(),
                    "POST",
                    "/v1/requests",
                    "{\"profile\":\"db-read\",\"bundle\":"
                        + "\"incident\",\"duration_seconds\":600,\"reason\":\"x\"}")
                .status())
        .isEqualTo(400);
    assertThat(
            call(
                    alice(),
                    "POST",
                    "/v1/requests",
                    "{\"profiles\":[\"db-read\",\"pager\"],"
                        + "\"break_glass\":true,\"duration_seconds\":600,\"reason\":\"x\"}")
                .status())
        .isEqualTo(400);
    assertThat(AuditTables.strings(db, "SELECT count(*) FROM access_requests").get(0))
        .isEqualTo(Long.toString(before));
  }

  @Test
  void theCliRequestsABundleAndApprovesItWithOneCommand(@TempDir Path home) {
    Map<String, String> asAlice =
        Map.of("STINT_SERVER", server.uri("/").toString(), "STINT_TOKEN", alice());
    CliRun made =
        CliRun.run(
            home,
            asAlice,
            "request",
            "db-write",
            "pager",
            "--duration",
            "20m",
            "--reason",
            "INC-46");
    assertThat(made.exitCode()).as(made.err()).isZero();
    Matcher id = Pattern.compile("bdl_[a-z0-9]+").matcher(made.out());
    assertThat(id.find()).as(made.out()).isTrue();
    assertThat(made.out()).contains("db-write", "pager", "pending");
    assertThat(made.err())
        .contains("who can approve:", "bob@example.com", "dave@example.com")
        .doesNotContain("erin@example.com");
    for (String approver : new String[] {bob(), dave()}) {
      CliRun vote =
          CliRun.run(
              home,
              Map.of("STINT_SERVER", server.uri("/").toString(), "STINT_TOKEN", approver),
              "approve",
              id.group());
      assertThat(vote.exitCode()).as(vote.err()).isZero();
    }
    CliRun named =
        CliRun.run(
            home,
            asAlice,
            "request",
            "--bundle",
            "incident",
            "--duration",
            "20m",
            "--reason",
            "INC-47",
            "--output",
            "json");
    assertThat(named.exitCode()).as(named.err()).isZero();
    assertThat(named.out()).contains("\"bundle\" : \"incident\"");
    assertThat(CliRun.run(home, asAlice, "request", "--duration", "20m").exitCode()).isEqualTo(2);
    assertThat(
            call(alice(), "GET", "/v1/requests/" + id.group(), null).body().get("state").asText())
        .isEqualTo("active");
  }

  @Test
  void strangersCannotSeeABundle() {
    JsonNode made =
        bundle(
            "{\"profiles\":[\"db-read\",\"pager\"],\"duration_seconds\":600,"
                + "\"reason\":\"INC-45\"}");
    assertThat(
            call(
                    idp.token("mallory", "eng"),
                    "GET",
                    "/v1/requests/" + made.get("id").asText(),
                    null)
                .status())
        .isEqualTo(404);
    assertThat(
            call(
                    idp.token("mallory", "eng"),
                    "POST",
                    "/v1/requests/" + made.get("id").asText() + "/cancel",
                    "{}")
                .status())
        .isEqualTo(404);
  }
}
