package dev.stint.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.mint.aws.PortalPolicy;
import dev.stint.standin.IdentityStoreStandIn;
import dev.stint.standin.SigningKeys;
import dev.stint.standin.SsoAdminStandIn;
import dev.stint.testing.ApiCalls;
import dev.stint.testing.ApiCalls.Answer;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An assignment's later calls go where its creation went, not where today's configuration points: a
 * grant approved by a server whose Identity Center is in eu-west-1 (at one SSO Admin endpoint) is
 * unassigned, and its person's portal sessions denied, in eu-west-1 at that endpoint, by a server
 * configured since for us-east-1 at another. Each SSO Admin stand-in takes only calls signed for
 * its own region, as AWS does.
 */
class AssignmentRecordedRegionServerTest {
  static final String MEMBER = SigningKeys.HOME_ACCOUNT;
  static final Duration WAIT = Duration.ofSeconds(30);
  private final IdentityStoreStandIn store = new IdentityStoreStandIn("d-0123456789");
  private final SsoAdminStandIn home = new SsoAdminStandIn(Clock.systemUTC(), "eu-west-1");
  private final SsoAdminStandIn elsewhere = new SsoAdminStandIn(Clock.systemUTC(), "us-east-1");
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
    permissionSet = home.addPermissionSet("ReadOnly", PortalPolicy.REFERENCE);
    home.principals(store::has);
    home.onProvisioned(
        (account, role, policyArns) -> {
          iam.provisioned(account, role, policyArns);
          provisioned.set(role);
        });
    db = TestPostgres.migratedDatabase();
    server = start("eu-west-1", home);
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close();
    home.close();
    elsewhere.close();
    store.close();
    idp.close();
    sts.close();
    iam.close();
    StintAwsKeys.clear();
  }

  private TestServer start(String region, SsoAdminStandIn sso) {
    return start(region, sso, Map.of());
  }

  private TestServer start(String region, SsoAdminStandIn sso, Map<String, String> more) {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "STINT_AWS_REGION", region,
                "STINT_AWS_STS_ENDPOINT", sts.uri().toString(),
                "STINT_AWS_IAM_ENDPOINT", iam.uri().toString(),
                "STINT_AWS_SSO_ADMIN_ENDPOINT", sso.uri().toString(),
                "STINT_AWS_IDENTITYSTORE_ENDPOINT", store.uri().toString()));
    env.putAll(more);
    return TestServer.start(
        db,
        env,
        "issuers:\n"
            + idp.issuerYaml("corp")
            + "profiles:\n  prod-readonly:\n    aws:\n      mode: identity_center\n"
            + "      instance_arn: '"
            + home.instanceArn()
            + "'\n      identity_store_id: d-0123456789\n      account_id: '"
            + MEMBER
            + "'\n      permission_set_arn: '"
            + permissionSet
            + "'\n    max_duration: 4h\n    requesters: 'true'\n"
            + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n");
  }

  private String assignmentState(String requestId) {
    Answer shown = new ApiCalls(server).get(idp.token("pat", "eng"), "/v1/requests/" + requestId);
    return shown.body().path("grant").path("assignment").path("state").asText();
  }

  /** Pat's request, approved; its id once its assignment is created. */
  private String approvedAndAssigned() throws Exception {
    ApiCalls api = new ApiCalls(server);
    Answer created =
        api.post(
            idp.tokenWithClaims(
                "pat",
                Map.of("email", "pat@example.com", "email_verified", true, "groups", List.of())),
            "/v1/requests",
            "{\"profile\":\"prod-readonly\",\"duration_seconds\":3600,\"reason\":\"INC-9\"}");
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    String id = created.body().get("id").asText();
    assertThat(api.post(idp.token("sam", "sre"), "/v1/requests/" + id + "/approve", "{}").status())
        .isEqualTo(200);
    Eventually.until("the assignment created", WAIT, () -> "created".equals(assignmentState(id)));
    return id;
  }

  @Test
  void theAccessPortalsRegionIsWhereAssignmentsAreMadeOverAwsRegion() throws Exception {
    String pat = store.addUser("pat@example.com").userId();
    server.close();
    server =
        start(
            "us-east-1",
            home,
            Map.of(
                "STINT_AWS_IDENTITY_CENTER_START_URL", "https://d-0123456789.awsapps.com/start",
                "STINT_AWS_IDENTITY_CENTER_REGION", "eu-west-1"));

    approvedAndAssigned();

    assertThat(home.assignments())
        .containsExactly(new SsoAdminStandIn.Assignment(MEMBER, permissionSet, pat));
  }

  @Test
  void aRevokeUnassignsAndDeniesInTheRegionTheAssignmentWasMadeInNotTodays() throws Exception {
    String pat = store.addUser("pat@example.com").userId();
    String id = approvedAndAssigned();
    assertThat(home.assignments())
        .containsExactly(new SsoAdminStandIn.Assignment(MEMBER, permissionSet, pat));
    String arn = "arn:aws:iam::" + MEMBER + ":role" + SsoAdminStandIn.ROLE_PATH + provisioned.get();
    Session pats =
        Session.portal(
            arn, "AROAPROVISIONEDROLE01", "pat@example.com", Instant.now().minusSeconds(60));

    server.close();
    server = start("us-east-1", elsewhere);
    Answer revoked =
        new ApiCalls(server).post(idp.token("sam", "sre"), "/v1/requests/" + id + "/revoke", "{}");
    assertThat(revoked.status()).as(revoked.body().toString()).isEqualTo(200);

    Eventually.until(
        "the assignment deleted where it was made", WAIT, () -> home.assignments().isEmpty());
    Eventually.until(
        "the grant showing it deleted", WAIT, () -> "deleted".equals(assignmentState(id)));
    Eventually.until(
        "pat's earlier portal session denied on the provisioned role",
        WAIT,
        () -> iam.denies(provisioned.get(), pats, Instant.now().plusSeconds(1)));
    assertThat(elsewhere.calls()).as("today's configured Identity Center").isEmpty();
  }
}
