package dev.stint.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.mint.aws.PortalPolicy;
import dev.stint.standin.IdentityStoreStandIn;
import dev.stint.standin.SigningKeys;
import dev.stint.standin.SsoAdminStandIn;
import dev.stint.testing.ApiCalls;
import dev.stint.testing.ApiCalls.Answer;
import dev.stint.testing.AuditTables;
import dev.stint.testing.DenyEvaluator.Session;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSts;
import dev.stint.testing.StintAwsKeys;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On a real server, through the API and the outbox, against the SSO Admin and Identity Store
 * stand-ins: an approved identity_center grant is assigned and shows it, asking it for keys says to
 * use the access portal, and its revoke unassigns it though the server that assigned it was stopped
 * and another started on the same database in between; the revoke also denies the person's portal
 * sessions of the permission set's role issued before it, and nobody else's, through the account's
 * customer managed policy the permission set references (AWS refuses writes to the role itself).
 * The member account is stint's own, reached with its own identity.
 */
class IdentityCenterServerTest {
  static final String MEMBER = SigningKeys.HOME_ACCOUNT;

  /** The id of the provisioned role, as its sessions' {@code aws:userid} starts. */
  static final String ROLE_ID = "AROAPROVISIONEDROLE01";

  static final Duration WAIT = Duration.ofSeconds(30);
  private final IdentityStoreStandIn store = new IdentityStoreStandIn("d-0123456789");
  private final SsoAdminStandIn sso = new SsoAdminStandIn(Clock.systemUTC());
  private final TestIdp idp = new TestIdp("corp");
  private final FakeSts sts = new FakeSts();
  private final FakeIam iam = new FakeIam();
  private final AtomicReference<String> provisioned = new AtomicReference<>();
  private String permissionSet;
  private DatabaseUrl db;
  private TestServer server;

  @BeforeEach
  void setUp() {
    StintAwsKeys.use();
    // The member account's policy as the Terraform module creates it, which the permission set
    // references: Identity Center attaches it to the role it provisions.
    iam.managed().create(MEMBER, PortalPolicy.PATH, PortalPolicy.NAME, PortalPolicy.INITIAL);
    permissionSet = sso.addPermissionSet("ReadOnly", PortalPolicy.REFERENCE);
    sso.principals(store::has);
    sso.onProvisioned(
        (account, role, policyArns) -> {
          iam.provisioned(account, role, policyArns);
          provisioned.set(role);
        });
    db = TestPostgres.migratedDatabase();
    server = start();
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close();
    sso.close();
    store.close();
    idp.close();
    sts.close();
    iam.close();
    StintAwsKeys.clear();
  }

  private TestServer start() {
    return TestServer.start(
        db,
        Map.of(
            "STINT_AWS_REGION", "eu-west-1",
            "STINT_AWS_STS_ENDPOINT", sts.uri().toString(),
            "STINT_AWS_IAM_ENDPOINT", iam.uri().toString(),
            "STINT_AWS_SSO_ADMIN_ENDPOINT", sso.uri().toString(),
            "STINT_AWS_IDENTITYSTORE_ENDPOINT", store.uri().toString()),
        policy());
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
        + "'\n    max_duration: 4h\n    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n";
  }

  /** A token whose email the identity provider says it verified, as a user is looked up by. */
  private String verified(String user, String... groups) {
    return idp.tokenWithClaims(
        user,
        Map.of("email", user + "@example.com", "email_verified", true, "groups", List.of(groups)));
  }

  private String assignmentState(String requestId) {
    Answer shown = new ApiCalls(server).get(idp.token("pat", "eng"), "/v1/requests/" + requestId);
    var assignment = shown.body().path("grant").path("assignment");
    return assignment.isMissingNode() ? "" : assignment.path("state").asText();
  }

  @Test
  void anApprovedGrantAssignsAndItsRevokeUnassignsAcrossARestart() throws Exception {
    String pat = store.addUser("pat@example.com").userId();
    ApiCalls api = new ApiCalls(server);
    Answer created =
        api.post(
            verified("pat", "eng"),
            "/v1/requests",
            "{\"profile\":\"prod-readonly\",\"duration_seconds\":3600,\"reason\":\"INC-7\"}");
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    String id = created.body().get("id").asText();
    assertThat(api.post(idp.token("sam", "sre"), "/v1/requests/" + id + "/approve", "{}").status())
        .isEqualTo(200);

    Eventually.until("the assignment created", WAIT, () -> "created".equals(assignmentState(id)));
    assertThat(sso.assignments())
        .containsExactly(new SsoAdminStandIn.Assignment(MEMBER, permissionSet, pat));

    Answer keys =
        api.post(idp.token("pat", "eng"), "/v1/credentials", "{\"profile\":\"prod-readonly\"}");
    assertThat(keys.status()).isEqualTo(400);
    assertThat(keys.body().toString()).contains("aws sso login");

    server.close();
    server = start();
    api = new ApiCalls(server);

    Answer revoked = api.post(idp.token("sam", "sre"), "/v1/requests/" + id + "/revoke", "{}");
    assertThat(revoked.status()).as(revoked.body().toString()).isEqualTo(200);
    Eventually.until("the assignment deleted in AWS", WAIT, () -> sso.assignments().isEmpty());
    Eventually.until(
        "the grant showing it deleted", WAIT, () -> "deleted".equals(assignmentState(id)));
    assertThat(
            AuditTables.count(
                db,
                "type IN ('assignment.created', 'assignment.deleted') AND request_id = '"
                    + id
                    + "'"))
        .isEqualTo(2);
  }

  @Test
  void aRevokeDeniesThePersonsEarlierPortalSessionsAndNobodyElses() throws Exception {
    store.addUser("pat@example.com");
    store.addUser("kim@example.com");
    ApiCalls api = new ApiCalls(server);
    Answer created =
        api.post(
            verified("pat", "eng"),
            "/v1/requests",
            "{\"profile\":\"prod-readonly\",\"duration_seconds\":3600,\"reason\":\"INC-8\"}");
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    String id = created.body().get("id").asText();
    assertThat(api.post(idp.token("sam", "sre"), "/v1/requests/" + id + "/approve", "{}").status())
        .isEqualTo(200);
    Eventually.until("the assignment created", WAIT, () -> "created".equals(assignmentState(id)));
    String role = provisioned.get();
    assertThat(role).startsWith("AWSReservedSSO_ReadOnly_");
    Instant before = Instant.now().minusSeconds(60);
    String arn = "arn:aws:iam::" + MEMBER + ":role" + SsoAdminStandIn.ROLE_PATH + role;
    Session pats = Session.portal(arn, ROLE_ID, "pat@example.com", before);
    Session kims = Session.portal(arn, ROLE_ID, "kim@example.com", before);
    assertThat(iam.denies(role, pats, Instant.now())).isFalse();

    Answer revoked = api.post(idp.token("sam", "sre"), "/v1/requests/" + id + "/revoke", "{}");
    assertThat(revoked.status()).as(revoked.body().toString()).isEqualTo(200);

    Eventually.until(
        "pat's earlier portal session denied through the policy on the provisioned role",
        WAIT,
        () -> iam.denies(role, pats, Instant.now()));
    assertThat(iam.denies(role, kims, Instant.now())).as("another user's session").isFalse();
    Session later =
        Session.portal(arn, ROLE_ID, "pat@example.com", Instant.now().plusSeconds(3600));
    assertThat(iam.denies(role, later, Instant.now().plusSeconds(3600)))
        .as("pat's session issued after the revoke, on a later assignment")
        .isFalse();
    Eventually.until("the assignment deleted in AWS", WAIT, () -> sso.assignments().isEmpty());
  }
}
