package dev.stint.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.standin.IdentityStoreStandIn;
import dev.stint.standin.SigningKeys;
import dev.stint.standin.SsoAdminStandIn;
import dev.stint.testing.ApiCalls;
import dev.stint.testing.ApiCalls.Answer;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeSlack;
import dev.stint.testing.StintAwsKeys;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On a real server, through the API, the outbox and the Slack app (against the Slack stand-in): an
 * approved identity_center grant of a person the identity store does not hold fails with nothing
 * assigned, audited, and the approvers are told why in the request's message thread.
 */
class AssignmentFailedServerTest {
  static final String CHANNEL = "C0APPROVALS";
  static final Duration WAIT = Duration.ofSeconds(30);
  private final IdentityStoreStandIn store = new IdentityStoreStandIn("d-0123456789");
  private final SsoAdminStandIn sso = new SsoAdminStandIn(Clock.systemUTC());
  private final TestIdp idp = new TestIdp("corp");
  private FakeSlack slack;
  private String permissionSet;
  private DatabaseUrl db;
  private TestServer server;

  @BeforeEach
  void setUp() throws Exception {
    StintAwsKeys.use();
    slack = new FakeSlack(CHANNEL);
    permissionSet = sso.addPermissionSet("ReadOnly");
    sso.principals(store::has);
    db = TestPostgres.migratedDatabase();
    server =
        TestServer.start(
            db,
            Map.of(
                "STINT_AWS_REGION",
                "eu-west-1",
                "STINT_AWS_SSO_ADMIN_ENDPOINT",
                sso.uri().toString(),
                "STINT_AWS_IDENTITYSTORE_ENDPOINT",
                store.uri().toString(),
                "STINT_SLACK_BOT_TOKEN",
                FakeSlack.TOKEN,
                "STINT_SLACK_SIGNING_SECRET",
                "0123456789abcdef0123456789abcdef",
                "STINT_SLACK_CHANNEL",
                CHANNEL,
                "STINT_SLACK_API_URL",
                slack.apiUrl().toString()),
            "issuers:\n"
                + idp.issuerYaml("corp")
                + "profiles:\n  prod-readonly:\n    aws:\n      mode: identity_center\n"
                + "      instance_arn: '"
                + sso.instanceArn()
                + "'\n      identity_store_id: d-0123456789\n      account_id: '"
                + SigningKeys.HOME_ACCOUNT
                + "'\n      permission_set_arn: '"
                + permissionSet
                + "'\n    max_duration: 4h\n    requesters: 'true'\n"
                + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n");
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close();
    slack.close();
    sso.close();
    store.close();
    idp.close();
    StintAwsKeys.clear();
  }

  @Test
  void aPersonWithoutAnIdentityCenterUserFailsAndTheApproversAreToldWhy() throws Exception {
    failsAndTheApproversAreTold(
        "no IAM Identity Center user named pat@example.com in d-0123456789");
  }

  @Test
  void aPermissionSetNotReferencingStintsPolicyFailsAsARevokeCouldNotEndItsSessions()
      throws Exception {
    store.addUser("pat@example.com");

    failsAndTheApproversAreTold(
        "permission set "
            + permissionSet
            + " does not reference the customer managed policy /stint/stint-portal-revocations,"
            + " so a revoke could not end its sessions; attach it (docs/clouds.md)");
    assertThat(sso.calls()).contains("ListCustomerManagedPolicyReferencesInPermissionSet");
  }

  /** pat's approved grant fails with {@code reason}: told, audited once, nothing assigned. */
  private void failsAndTheApproversAreTold(String reason) throws Exception {
    ApiCalls api = new ApiCalls(server);
    Answer created =
        api.post(
            idp.tokenWithClaims(
                "pat",
                Map.of(
                    "email", "pat@example.com", "email_verified", true, "groups", List.of("eng"))),
            "/v1/requests",
            "{\"profile\":\"prod-readonly\",\"duration_seconds\":3600,\"reason\":\"INC-9\"}");
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    String id = created.body().get("id").asText();
    Eventually.until("the request posted", WAIT, () -> !slack.messages().isEmpty());
    String ts = slack.messages().get(0).ts();

    assertThat(api.post(idp.token("sam", "sre"), "/v1/requests/" + id + "/approve", "{}").status())
        .isEqualTo(200);

    Eventually.until(
        "the approvers told in the request's thread",
        WAIT,
        () ->
            slack.calls("chat.postMessage").stream()
                .anyMatch(
                    c ->
                        ts.equals(c.fields().get("thread_ts"))
                            && c.fields().getOrDefault("text", "").contains(reason)));
    assertThat(AuditTables.count(db, "type = 'assignment.failed' AND request_id = '" + id + "'"))
        .isEqualTo(1);
    assertThat(
            AuditTables.strings(
                db,
                "SELECT reason FROM identity_center_assignments WHERE request_id = '" + id + "'"))
        .containsExactly(reason);
    assertThat(sso.assignments()).isEmpty();
    assertThat(sso.calls()).doesNotContain("CreateAccountAssignment");
  }
}
