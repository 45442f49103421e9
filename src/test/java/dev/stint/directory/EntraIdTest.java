package dev.stint.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.ApiCalls;
import dev.stint.testing.ApiCalls.Answer;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
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
 * Microsoft Entra ID as the directory, with tokens shaped as Entra's v2.0 endpoint issues them: the
 * issuer {@code https://login.microsoftonline.com/{tid}/v2.0} (here the same path on a local
 * provider, verified by the server's own OIDC verifier), a pairwise {@code sub} (one per
 * application), the user's object id in {@code oid}, the tenant in {@code tid}, and an {@code
 * email} without {@code email_verified}. Entra's provisioning sends the object id as {@code
 * externalId} (the attribute mapping docs/directory.md sets up), and {@code directory.match_claim:
 * oid} compares it with the token's {@code oid}: deactivating the user (Entra's PATCH) or deleting
 * it ends the person's access as Okta's does (app.DeprovisioningTest, DeprovisioningIT).
 */
class EntraIdTest {
  static final String TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";
  static final String SCIM_TOKEN = "entra-scim-token-0123456789abcdef0123456789";

  static TestIdp entra;
  static DatabaseUrl db;
  static TestServer server;
  static ApiCalls api;

  @BeforeAll
  static void start() {
    entra = new TestIdp(TENANT + "/v2.0");
    assertThat(entra.issuer()).endsWith("/" + TENANT + "/v2.0");
    db = TestPostgres.migratedDatabase();
    server =
        TestServer.start(
            db,
            Map.of(
                "STINT_DIRECTORY_SCIM_TOKEN",
                SCIM_TOKEN,
                "STINT_DIRECTORY_ISSUER",
                "corp",
                "STINT_DIRECTORY_MATCH_CLAIM",
                "oid"),
            TestPolicies.requests(entra));
    api = new ApiCalls(server);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    entra.close();
  }

  /** A person of the tenant: their object id, and the pairwise sub stint's application sees. */
  record EntraUser(String name, String oid, String sub) {
    static EntraUser named(String name) {
      return new EntraUser(name, UUID.randomUUID().toString(), pairwise());
    }

    String email() {
      return name + "@contoso.example";
    }

    /** An Entra v2.0 token of theirs: {@code oid} and {@code tid}, no {@code email_verified}. */
    String token(String... groups) {
      Map<String, Object> claims = new HashMap<>();
      claims.put("oid", oid);
      claims.put("tid", TENANT);
      claims.put("ver", "2.0");
      claims.put("email", email());
      claims.put("preferred_username", email());
      claims.put("name", name);
      claims.put("groups", List.of(groups));
      return entra.tokenWithClaims(sub, claims);
    }
  }

  /** As Entra's pairwise subjects look: 43 characters of base64url. */
  static String pairwise() {
    return (UUID.randomUUID().toString() + UUID.randomUUID().toString())
        .replace("-", "")
        .substring(0, 43);
  }

  static String created(Answer a) {
    assertThat(a.status()).as(a.body().toString()).isEqualTo(201);
    return a.body().get("id").asText();
  }

  /** The user as Entra's provisioning creates it, with objectId mapped to externalId. */
  static String provisioned(String userPrincipalName, String objectId, boolean active) {
    return created(
        api.post(
            SCIM_TOKEN,
            "/scim/v2/Users",
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                + "\"externalId\":\""
                + objectId
                + "\",\"userName\":\""
                + userPrincipalName
                + "\",\"active\":"
                + active
                + ",\"displayName\":\"Someone\",\"emails\":[{\"primary\":true,\"type\":\"work\","
                + "\"value\":\""
                + userPrincipalName
                + "\"}]}"));
  }

  /** Entra's deactivation: a capitalised op and {@code active} as the string "False". */
  static Answer deactivated(String user) {
    return api.call(
        SCIM_TOKEN,
        "PATCH",
        "/scim/v2/Users/" + user,
        "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
            + "\"Operations\":[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]}");
  }

  static void seen(EntraUser u) throws Exception {
    Eventually.until(
        u.name() + " to be among the people seen",
        Duration.ofSeconds(10),
        () ->
            !AuditTables.strings(db, "SELECT 1 FROM people_seen WHERE subject = '" + u.sub() + "'")
                .isEmpty());
  }

  static String matchedTo(String userId) throws Exception {
    return AuditTables.strings(
            db, "SELECT coalesce(subject, '') FROM directory_users WHERE id = '" + userId + "'")
        .get(0);
  }

  static String state(String request) throws Exception {
    return AuditTables.strings(db, "SELECT state FROM access_requests WHERE id = '" + request + "'")
        .get(0);
  }

  /** A live grant (sandbox, auto-approved for oncall) and a pending prod request of theirs. */
  static List<String> liveAndPending(String token) {
    String live =
        created(
            api.post(
                token,
                "/v1/requests",
                "{\"profile\":\"sandbox\",\"duration_seconds\":1800,\"reason\":\"INC-51\"}"));
    String pending =
        created(
            api.post(
                token,
                "/v1/requests",
                "{\"profile\":\"prod\",\"duration_seconds\":1800,\"reason\":\"INC-51\"}"));
    return List.of(live, pending);
  }

  static void refusedFromNowOn(EntraUser u, String token) throws Exception {
    Eventually.until(
        u.name() + "'s token to be refused",
        Duration.ofSeconds(10),
        () -> api.get(token, "/v1/whoami").status() == 403);
    assertThat(
            AuditTables.count(
                db,
                "type = 'identity.refused' AND actor_subject = '"
                    + u.sub()
                    + "' AND reason LIKE 'the directory has deactivated or deleted%'"))
        .isPositive();
  }

  @Test
  void deactivatingTheEntraUserEndsTheirGrantTheirRequestAndTheirTokens() throws Exception {
    EntraUser adele = EntraUser.named("adele");
    String token = adele.token("oncall", "eng");
    List<String> requests = liveAndPending(token);
    assertThat(state(requests.get(0))).isEqualTo("approved");
    seen(adele);

    String user = provisioned(adele.email(), adele.oid(), true);
    assertThat(matchedTo(user))
        .as("matched by oid to the person, who stays (issuer, sub)")
        .isEqualTo(adele.sub());
    assertThat(
            AuditTables.strings(
                db,
                "SELECT details->>'matched_by' FROM audit_events"
                    + " WHERE type = 'directory.user.created' AND details->>'user_id' = '"
                    + user
                    + "'"))
        .containsExactly("oid");

    Answer off = deactivated(user);
    assertThat(off.status()).as(off.body().toString()).isEqualTo(200);

    assertThat(state(requests.get(0))).isEqualTo("revoked");
    assertThat(state(requests.get(1))).isEqualTo("cancelled");
    assertThat(
            AuditTables.count(
                db,
                "type = 'person.deprovisioned' AND details->>'subject' = '"
                    + adele.sub()
                    + "' AND details->>'grants_revoked' = '1'"
                    + " AND details->>'requests_cancelled' = '1'"))
        .isEqualTo(1);
    refusedFromNowOn(adele, token);
  }

  @Test
  void deletingTheEntraUserEndsTheirAccessToo() throws Exception {
    EntraUser dylan = EntraUser.named("dylan");
    String token = dylan.token("oncall", "eng");
    List<String> requests = liveAndPending(token);
    seen(dylan);
    String user = provisioned(dylan.email(), dylan.oid(), true);

    Answer deleted = api.call(SCIM_TOKEN, "DELETE", "/scim/v2/Users/" + user, null);
    assertThat(deleted.status()).as(deleted.body().toString()).isEqualTo(204);

    assertThat(state(requests.get(0))).isEqualTo("revoked");
    assertThat(state(requests.get(1))).isEqualTo("cancelled");
    refusedFromNowOn(dylan, token);
  }

  @Test
  void onlyAUserNamingThemByOidLiftsTheirMarkNeverOneNamingTheirPairwiseSub() throws Exception {
    EntraUser mia = EntraUser.named("mia");
    String token = mia.token("eng");
    assertThat(api.get(token, "/v1/whoami").status()).isEqualTo(200);
    seen(mia);
    String first = provisioned(mia.email(), mia.oid(), true);
    assertThat(api.call(SCIM_TOKEN, "DELETE", "/scim/v2/Users/" + first, null).status())
        .isEqualTo(204);
    refusedFromNowOn(mia, token);

    String bySub = provisioned("mia.sub@contoso.example", mia.sub(), true);
    assertThat(matchedTo(bySub)).isEmpty();
    assertThat(api.get(token, "/v1/whoami").status()).as("still refused").isEqualTo(403);

    String again = provisioned("mia.again@contoso.example", mia.oid(), true);
    assertThat(matchedTo(again)).isEqualTo(mia.sub());
    Eventually.until(
        "mia to be admitted again",
        Duration.ofSeconds(10),
        () -> api.get(token, "/v1/whoami").status() == 200);
  }

  @Test
  void anEntraUserDisabledBeforeTheirFirstCallIsRefusedOnIt() throws Exception {
    EntraUser gone = EntraUser.named("gone");
    provisioned(gone.email(), gone.oid(), false);

    Answer first = api.get(gone.token("oncall"), "/v1/whoami");

    assertThat(first.status()).as(first.body().toString()).isEqualTo(403);
  }

  @Test
  void aPairwiseSubEqualToAnExternalIdIsNoMatchWhenTheClaimIsOid() throws Exception {
    EntraUser pia = EntraUser.named("pia");
    // Someone else's user whose externalId happens to be pia's pairwise sub, and who has left.
    String other = provisioned("someone.else@contoso.example", pia.sub(), false);

    Answer call = api.get(pia.token("eng"), "/v1/whoami");
    assertThat(call.status()).as(call.body().toString()).isEqualTo(200);
    assertThat(call.body().get("groups_from").asText()).isEqualTo("token");
    seen(pia);
    String another = provisioned("another@contoso.example", pia.sub(), true);

    assertThat(matchedTo(other)).isEmpty();
    assertThat(matchedTo(another)).isEmpty();
    assertThat(api.get(pia.token("eng"), "/v1/whoami").status()).isEqualTo(200);
  }

  @Test
  void aTokenWithoutOidMatchesNobodyByExternalId() throws Exception {
    String sub = pairwise();
    String noOid =
        entra.tokenWithClaims(
            sub, Map.of("tid", TENANT, "ver", "2.0", "email", "no.oid@contoso.example"));
    String user = provisioned("no.oid@contoso.example", sub, false);

    Answer call = api.get(noOid, "/v1/whoami");

    assertThat(call.status()).as(call.body().toString()).isEqualTo(200);
    assertThat(matchedTo(user)).isEmpty();
  }

  @Test
  void anEmailEntraDoesNotSayItVerifiedMatchesNobody() throws Exception {
    EntraUser eve = EntraUser.named("eve");
    // Another object's user carrying the address eve's token shows, deactivated.
    String user = provisioned(eve.email(), UUID.randomUUID().toString(), false);

    Answer call = api.get(eve.token("eng"), "/v1/whoami");

    assertThat(call.status()).as(call.body().toString()).isEqualTo(200);
    assertThat(matchedTo(user)).isEmpty();
  }
}
