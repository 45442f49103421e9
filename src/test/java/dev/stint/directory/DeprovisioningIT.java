package dev.stint.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.ApiCalls;
import dev.stint.testing.ApiCalls.Answer;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSts;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPolicies;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Leaving ends access, through the real server and the AWS SDK against the IAM and STS fakes: a
 * person with a live AWS grant (and a session minted on it) and a pending request is deactivated by
 * the identity provider over SCIM, as Entra sends it; the grant is revoked, the role's deny names
 * it, and the pending request is cancelled. The same for a person of Microsoft Entra ID, whose
 * tokens carry a pairwise {@code sub} and whose user Entra provisions with their object id ({@code
 * oid}) as {@code externalId} ({@code directory.match_claim: oid}).
 */
class DeprovisioningIT {
  static final String SCIM_TOKEN = "scim-it-token-0123456789abcdef0123456789abcd";

  static FakeSts sts;
  static FakeIam iam;
  static final String TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";

  static TestIdp idp;
  static TestIdp entra;
  static DatabaseUrl db;
  static Map<String, String> env;

  @BeforeAll
  static void start() {
    System.setProperty("aws.accessKeyId", "AKIASTINTE2ETEST0041");
    System.setProperty("aws.secretAccessKey", "stint-e2e-test-secret-not-real-0000000041");
    sts = new FakeSts();
    iam = new FakeIam().createRole("prod-admin").createRole("sandbox");
    idp = new TestIdp("corp");
    entra = new TestIdp(TENANT + "/v2.0");
    db = TestPostgres.migratedDatabase();
    env =
        Map.of(
            "STINT_AWS_STS_ENDPOINT",
            sts.uri().toString(),
            "STINT_AWS_IAM_ENDPOINT",
            iam.uri().toString(),
            "STINT_AWS_REGION",
            "eu-west-1",
            "STINT_DIRECTORY_SCIM_TOKEN",
            SCIM_TOKEN,
            "STINT_DIRECTORY_ISSUER",
            "corp");
  }

  @AfterAll
  static void stop() throws Exception {
    idp.close();
    entra.close();
    sts.close();
    iam.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  @Test
  void anEntraUsersAwsGrantIsDeniedAndTheirPendingRequestCancelledWhenEntraDeactivatesThem()
      throws Exception {
    Map<String, String> entraEnv = new HashMap<>(env);
    entraEnv.put("STINT_DIRECTORY_MATCH_CLAIM", "oid");
    try (TestServer server = TestServer.start(db, entraEnv, TestPolicies.requests(entra))) {
      ApiCalls api = new ApiCalls(server);
      String oid = UUID.randomUUID().toString();
      String pairwise = "AAAAAAAAAAAAAAAAAAAAAKx7pX3Q9nGx1y0wU2bQm4E";
      String token =
          entra.tokenWithClaims(
              pairwise,
              Map.of(
                  "oid",
                  oid,
                  "tid",
                  TENANT,
                  "ver",
                  "2.0",
                  "email",
                  "ines@contoso.example",
                  "groups",
                  List.of("oncall", "eng")));
      String live =
          created(
              api.post(
                  token,
                  "/v1/requests",
                  "{\"profile\":\"sandbox\",\"duration_seconds\":1800,\"reason\":\"INC-51\"}"));
      Answer minted = api.post(token, "/v1/credentials", "{\"profile\":\"sandbox\"}");
      assertThat(minted.status()).as(minted.body().toString()).isEqualTo(200);
      String pending =
          created(
              api.post(
                  token,
                  "/v1/requests",
                  "{\"profile\":\"prod\",\"duration_seconds\":1800,\"reason\":\"INC-51\"}"));
      Eventually.until(
          "ines to be among the people seen",
          Duration.ofSeconds(10),
          () ->
              !AuditTables.strings(
                      db, "SELECT 1 FROM people_seen WHERE subject = '" + pairwise + "'")
                  .isEmpty());

      // As Entra's provisioning creates the user, with objectId mapped to externalId.
      String user =
          created(
              api.post(
                  SCIM_TOKEN,
                  "/scim/v2/Users",
                  "{\"externalId\":\""
                      + oid
                      + "\",\"userName\":\"ines@contoso.example\",\"active\":true,"
                      + "\"emails\":[{\"primary\":true,\"type\":\"work\","
                      + "\"value\":\"ines@contoso.example\"}]}"));
      Answer patched =
          api.call(
              SCIM_TOKEN,
              "PATCH",
              "/scim/v2/Users/" + user,
              "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                  + "\"Operations\":[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]}");
      assertThat(patched.status()).as(patched.body().toString()).isEqualTo(200);

      assertThat(state(live)).isEqualTo("revoked");
      assertThat(state(pending)).isEqualTo("cancelled");
      Eventually.until(
          "the revocation to be applied",
          Duration.ofSeconds(20),
          () ->
              AuditTables.count(
                      db, "type = 'grant.revocation_applied' AND request_id = '" + live + "'")
                  == 1);
      String grant =
          AuditTables.strings(
                  db,
                  "SELECT grant_id FROM audit_events WHERE type = 'grant.revoked'"
                      + " AND request_id = '"
                      + live
                      + "' AND actor_subject = 'system' AND details->>'by' = 'directory'")
              .get(0);
      assertThat(iam.policy("sandbox", "stint-revocations").orElseThrow()).contains(grant);
      Eventually.until(
          "ines's token to be refused",
          Duration.ofSeconds(10),
          () -> api.get(token, "/v1/whoami").status() == 403);
      assertThat(api.post(token, "/v1/credentials", "{\"profile\":\"sandbox\"}").status())
          .isEqualTo(403);
    }
  }

  static String created(Answer a) {
    assertThat(a.status()).as(a.body().toString()).isEqualTo(201);
    return a.body().get("id").asText();
  }

  @Test
  void aDeactivatedPersonsAwsGrantIsDeniedAndTheirPendingRequestCancelled() throws Exception {
    try (TestServer server = TestServer.start(db, env, TestPolicies.requests(idp))) {
      ApiCalls api = new ApiCalls(server);
      String token = idp.token("uma", "oncall", "eng");
      String live =
          created(
              api.post(
                  token,
                  "/v1/requests",
                  "{\"profile\":\"sandbox\",\"duration_seconds\":1800,\"reason\":\"INC-41\"}"));
      Answer minted = api.post(token, "/v1/credentials", "{\"profile\":\"sandbox\"}");
      assertThat(minted.status()).as(minted.body().toString()).isEqualTo(200);
      String pending =
          created(
              api.post(
                  token,
                  "/v1/requests",
                  "{\"profile\":\"prod\",\"duration_seconds\":1800,\"reason\":\"INC-41\"}"));
      Eventually.until(
          "uma to be among the people seen",
          Duration.ofSeconds(10),
          () ->
              !AuditTables.strings(db, "SELECT 1 FROM people_seen WHERE subject = 'uma'")
                  .isEmpty());

      String user =
          created(
              api.post(
                  SCIM_TOKEN,
                  "/scim/v2/Users",
                  "{\"userName\":\"uma@example.com\",\"externalId\":\"uma\"}"));
      Answer patched =
          api.call(
              SCIM_TOKEN,
              "PATCH",
              "/scim/v2/Users/" + user,
              "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                  + "\"Operations\":[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]}");
      assertThat(patched.status()).as(patched.body().toString()).isEqualTo(200);

      assertThat(state(live)).isEqualTo("revoked");
      assertThat(state(pending)).isEqualTo("cancelled");
      Eventually.until(
          "the revocation to be applied",
          Duration.ofSeconds(20),
          () ->
              AuditTables.count(
                      db, "type = 'grant.revocation_applied' AND request_id = '" + live + "'")
                  == 1);
      String grant =
          AuditTables.strings(
                  db,
                  "SELECT grant_id FROM audit_events WHERE type = 'grant.revoked'"
                      + " AND request_id = '"
                      + live
                      + "' AND actor_subject = 'system'"
                      + " AND details->>'by' = 'directory'")
              .get(0);
      assertThat(iam.policy("sandbox", "stint-revocations").orElseThrow()).contains(grant);
      assertThat(
              AuditTables.count(
                  db,
                  "type = 'person.deprovisioned' AND details->>'subject' = 'uma'"
                      + " AND details->>'grants_revoked' = '1'"
                      + " AND details->>'requests_cancelled' = '1'"))
          .isEqualTo(1);
    }
  }

  @Test
  void aPersonTheDirectoryKnowsIsJudgedByItsGroupsAtTheNextCallAndRefusedOnceDeactivated()
      throws Exception {
    try (TestServer server = TestServer.start(db, env, TestPolicies.requests(idp))) {
      ApiCalls api = new ApiCalls(server);
      String requester = idp.token("rae", "eng");
      // The token says "eng": on its own it may not approve prod, which takes "sre".
      String approver = idp.token("vic", "eng");
      assertThat(api.get(approver, "/v1/whoami").body().get("groups_from").asText())
          .isEqualTo("token");
      Eventually.until(
          "vic to be among the people seen",
          Duration.ofSeconds(10),
          () ->
              !AuditTables.strings(db, "SELECT 1 FROM people_seen WHERE subject = 'vic'")
                  .isEmpty());
      String user =
          created(
              api.post(
                  SCIM_TOKEN,
                  "/scim/v2/Users",
                  "{\"userName\":\"vic@example.com\",\"externalId\":\"vic\"}"));
      String group =
          created(
              api.post(
                  SCIM_TOKEN,
                  "/scim/v2/Groups",
                  "{\"displayName\":\"sre\",\"members\":[{\"value\":\"" + user + "\"}]}"));
      Eventually.until(
          "vic's groups to be the directory's",
          Duration.ofSeconds(10),
          () ->
              api.get(approver, "/v1/whoami").body().get("groups").toString().equals("[\"sre\"]"));
      assertThat(api.get(approver, "/v1/whoami").body().get("groups_from").asText())
          .isEqualTo("directory");
      String first = prodRequest(api, requester);
      Answer approved = api.post(approver, "/v1/requests/" + first + "/approve", "{}");
      assertThat(approved.status()).as(approved.body().toString()).isEqualTo(200);

      Answer removed =
          api.call(
              SCIM_TOKEN,
              "PATCH",
              "/scim/v2/Groups/" + group,
              "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                  + "\"Operations\":[{\"op\":\"remove\",\"path\":\"members[value eq \\\""
                  + user
                  + "\\\"]\"}]}");
      assertThat(removed.status()).as(removed.body().toString()).isIn(200, 204);
      String second = prodRequest(api, requester);
      Eventually.until(
          "vic's directory groups to be none",
          Duration.ofSeconds(10),
          () -> api.get(approver, "/v1/whoami").body().get("groups").toString().equals("[]"));
      Answer refused = api.post(approver, "/v1/requests/" + second + "/approve", "{}");
      assertThat(refused.status())
          .as("no longer an approver, vic may not even see it: " + refused.body())
          .isEqualTo(404);

      Answer off =
          api.call(
              SCIM_TOKEN,
              "PATCH",
              "/scim/v2/Users/" + user,
              "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                  + "\"Operations\":[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]}");
      assertThat(off.status()).as(off.body().toString()).isEqualTo(200);
      Eventually.until(
          "vic's token to be refused",
          Duration.ofSeconds(10),
          () -> api.get(approver, "/v1/whoami").status() == 403);
      assertThat(
              AuditTables.count(
                  db,
                  "type = 'identity.refused' AND actor_subject = 'vic'"
                      + " AND reason LIKE 'the directory has deactivated or deleted%'"))
          .isPositive();
      assertThat(api.get(requester, "/v1/whoami").status())
          .as("someone the directory does not know is not affected")
          .isEqualTo(200);
    }
  }

  static String prodRequest(ApiCalls api, String token) {
    return created(
        api.post(
            token,
            "/v1/requests",
            "{\"profile\":\"prod\",\"duration_seconds\":1800,\"reason\":\"INC-42\"}"));
  }

  static String state(String request) throws Exception {
    return AuditTables.strings(db, "SELECT state FROM access_requests WHERE id = '" + request + "'")
        .get(0);
  }
}
