package dev.stint.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.config.DatabaseUrl;
import dev.stint.mint.aws.PortalPolicy;
import dev.stint.standin.IdentityStoreStandIn;
import dev.stint.standin.SsoAdminStandIn;
import dev.stint.testing.ApiCalls;
import dev.stint.testing.ApiCalls.Answer;
import dev.stint.testing.AuditTables;
import dev.stint.testing.StintAwsKeys;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engineer's side of an Identity Center profile on a real server: {@code GET /v1/profiles}
 * tells people's tools the account, the permission set's name and the configured access portal
 * ({@code aws.identity_center.*}), from which {@code stint setup aws} writes its sso-session.
 */
class AccessPortalServerTest {
  static final String MEMBER = "444455556666";
  static final String START = "https://d-0123456789.awsapps.com/start";
  private final IdentityStoreStandIn store = new IdentityStoreStandIn("d-0123456789");
  private final SsoAdminStandIn sso = new SsoAdminStandIn(Clock.systemUTC());
  private final TestIdp idp = new TestIdp("corp");
  private String permissionSet;
  private DatabaseUrl db;
  private TestServer server;

  @BeforeEach
  void setUp() {
    StintAwsKeys.use();
    permissionSet = sso.addPermissionSet("ReadOnly", PortalPolicy.REFERENCE);
    sso.principals(store::has);
    db = TestPostgres.migratedDatabase();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) {
      server.close();
    }
    sso.close();
    store.close();
    idp.close();
    StintAwsKeys.clear();
  }

  private TestServer start(boolean portal) {
    Map<String, String> env =
        portal
            ? Map.of(
                "STINT_AWS_REGION",
                "eu-west-1",
                "STINT_AWS_IDENTITY_CENTER_START_URL",
                START,
                "STINT_AWS_IDENTITY_CENTER_REGION",
                "us-east-2",
                "STINT_AWS_SSO_ADMIN_ENDPOINT",
                sso.uri().toString(),
                "STINT_AWS_IDENTITYSTORE_ENDPOINT",
                store.uri().toString())
            : Map.of(
                "STINT_AWS_REGION", "eu-west-1",
                "STINT_AWS_SSO_ADMIN_ENDPOINT", sso.uri().toString(),
                "STINT_AWS_IDENTITYSTORE_ENDPOINT", store.uri().toString());
    server = TestServer.start(db, env, policy());
    return server;
  }

  private String policy() {
    return "issuers:\n"
        + idp.issuerYaml("corp")
        + "profiles:\n  prod-readonly:\n    aws:\n      mode: identity_center\n"
        + "      instance_arn: '"
        + sso.instanceArn()
        + "'\n      identity_store_id: d-0123456789\n      account_id: '"
        + MEMBER
        + "'\n      permission_set_arn: '"
        + permissionSet
        + "'\n      permission_set_name: ReadOnly\n      region: eu-west-1\n"
        + "    max_duration: 4h\n    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n"
        + "  keys:\n    aws: {role_arn: 'arn:aws:iam::111122223333:role/dev'}\n"
        + "    max_duration: 1h\n    requesters: 'true'\n    approval: {count: 1, approvers: 'true'}\n";
  }

  private JsonNode profile(String name) {
    Answer listed = new ApiCalls(server).get(idp.token("pat", "eng"), "/v1/profiles");
    assertThat(listed.status()).isEqualTo(200);
    for (JsonNode p : listed.body().path("profiles")) {
      if (p.path("name").asText().equals(name)) {
        return p;
      }
    }
    throw new AssertionError("no profile " + name + " in " + listed.body());
  }

  @Test
  void profilesNameTheAccountThePermissionSetAndThePortal() {
    start(true);
    JsonNode ic = profile("prod-readonly").path("identity_center");
    assertThat(ic.path("account_id").asText()).isEqualTo(MEMBER);
    assertThat(ic.path("permission_set_arn").asText()).isEqualTo(permissionSet);
    assertThat(ic.path("permission_set_name").asText()).isEqualTo("ReadOnly");
    assertThat(ic.path("start_url").asText()).isEqualTo(START);
    assertThat(ic.path("sso_region").asText()).isEqualTo("us-east-2");
    assertThat(profile("prod-readonly").path("region").asText()).isEqualTo("eu-west-1");
    assertThat(profile("keys").path("identity_center").isNull()).isTrue();
  }

  @Test
  void theConsoleLinkOfAGrantIsThePortalsDeepLink() throws Exception {
    start(true);
    store.addUser("pat@example.com");
    ApiCalls api = new ApiCalls(server);
    String console = "{\"profile\":\"prod-readonly\"}";
    Answer before = api.post(idp.token("pat", "eng"), "/v1/console", console);
    assertThat(before.status()).as(before.body().toString()).isEqualTo(403);
    assertThat(before.body().toString()).contains("no active grant for profile prod-readonly");

    Answer created =
        api.post(
            idp.token("pat", "eng"),
            "/v1/requests",
            "{\"profile\":\"prod-readonly\",\"duration_seconds\":3600,\"reason\":\"INC-7\"}");
    String id = created.body().get("id").asText();
    assertThat(api.post(idp.token("sam", "sre"), "/v1/requests/" + id + "/approve", "{}").status())
        .isEqualTo(200);

    Answer link = api.post(idp.token("pat", "eng"), "/v1/console", console);
    assertThat(link.status()).as(link.body().toString()).isEqualTo(200);
    assertThat(link.body().path("url").asText())
        .isEqualTo(START + "/#/console?account_id=" + MEMBER + "&role_name=ReadOnly");
    assertThat(link.body().path("grant_id").asText()).isNotEmpty();
    Answer other = api.post(idp.token("kim", "eng"), "/v1/console", console);
    assertThat(other.body().toString()).contains("no active grant");
    assertThat(AuditTables.count(db, "type = 'console.issued'")).isEqualTo(1);
    assertThat(AuditTables.count(db, "type = 'credential.denied'")).isEqualTo(2);
  }

  @Test
  void withoutAPortalConfiguredTheProfileSaysSo() {
    start(false);
    JsonNode ic = profile("prod-readonly").path("identity_center");
    assertThat(ic.path("account_id").asText()).isEqualTo(MEMBER);
    assertThat(ic.path("start_url").isNull()).isTrue();
    assertThat(ic.path("sso_region").isNull()).isTrue();
    Answer link =
        new ApiCalls(server)
            .post(idp.token("pat", "eng"), "/v1/console", "{\"profile\":\"prod-readonly\"}");
    assertThat(link.status()).isEqualTo(400);
    assertThat(link.body().toString()).contains("aws.identity_center.start_url");
  }
}
