package dev.stint.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.config.DatabaseUrl;
import dev.stint.demo.CloudTrailStandIn;
import dev.stint.mint.aws.PortalPolicy;
import dev.stint.standin.CloudTrailEvent;
import dev.stint.standin.IdentityStoreStandIn;
import dev.stint.standin.SigningKeys;
import dev.stint.standin.SsoAdminStandIn;
import dev.stint.testing.ApiCalls;
import dev.stint.testing.ApiCalls.Answer;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSts;
import dev.stint.testing.ShiftedClock;
import dev.stint.testing.StintAwsKeys;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An Identity Center grant's activity, on a real server, through the real AWS SDK against the SSO
 * Admin, Identity Store, IAM and CloudTrail stand-ins: the calls of the person's access portal
 * sessions on the permission set's provisioned role show as the grant's activity, looked up in
 * CloudTrail by {@code Username}; the same person's sessions of another permission set, and an IAM
 * user of their name, do not; a finding rule fires on a portal session's call and names the grant;
 * and a grant whose person made no call is in the report of grants never used, with the one thing
 * it handed out (its portal access) looked up.
 */
class PortalActivityEndToEndIT {
  static final String MEMBER = SigningKeys.HOME_ACCOUNT;
  static final String REGION = "eu-west-1";
  static final Duration WAIT = Duration.ofSeconds(40);

  private final ShiftedClock clock = new ShiftedClock();
  private final IdentityStoreStandIn store = new IdentityStoreStandIn("d-0123456789");
  private final SsoAdminStandIn sso = new SsoAdminStandIn(Clock.systemUTC());
  private final CloudTrailStandIn cloudTrail = new CloudTrailStandIn(clock, Duration.ZERO);
  private final TestIdp idp = new TestIdp("corp");
  private final FakeSts sts = new FakeSts();
  private final FakeIam iam = new FakeIam();
  private final AtomicReference<String> provisioned = new AtomicReference<>();
  private String permissionSet;
  private DatabaseUrl db;
  private TestServer server;
  private ApiCalls api;

  @BeforeEach
  void setUp() {
    StintAwsKeys.use();
    cloudTrail.allow(
        System.getProperty("aws.accessKeyId"), System.getProperty("aws.secretAccessKey"), MEMBER);
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
    server =
        TestServer.start(
            db,
            Map.of(
                "STINT_AWS_REGION", REGION,
                "STINT_AWS_STS_ENDPOINT", sts.uri().toString(),
                "STINT_AWS_IAM_ENDPOINT", iam.uri().toString(),
                "STINT_AWS_SSO_ADMIN_ENDPOINT", sso.uri().toString(),
                "STINT_AWS_IDENTITYSTORE_ENDPOINT", store.uri().toString(),
                "STINT_AWS_CLOUDTRAIL_ENDPOINT", cloudTrail.uri().toString(),
                "STINT_ACTIVITY_REGIONS", REGION,
                "STINT_ACTIVITY_LOOKUP_EVERY", "1m"),
            policy(),
            clock);
    api = new ApiCalls(server);
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close();
    cloudTrail.close();
    sso.close();
    store.close();
    idp.close();
    sts.close();
    iam.close();
    StintAwsKeys.clear();
  }

  private String policy() {
    return "issuers:\n"
        + idp.issuerYaml("corp")
        + "auditors: 'principal.groups.exists(g, g == \"security\")'\n"
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

  private String verified(String user) {
    return idp.tokenWithClaims(
        user,
        Map.of("email", user + "@example.com", "email_verified", true, "groups", List.of("eng")));
  }

  /** An approved grant of {@code user}'s, once its assignment is created. */
  private String assigned(String user) throws Exception {
    store.addUser(user + "@example.com");
    Answer created =
        api.post(
            verified(user),
            "/v1/requests",
            "{\"profile\":\"prod-readonly\",\"duration_seconds\":3600,\"reason\":\"INC-9\"}");
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    String id = created.body().get("id").asText();
    assertThat(api.post(idp.token("sam", "sre"), "/v1/requests/" + id + "/approve", "{}").status())
        .isEqualTo(200);
    Eventually.until(
        "the assignment created",
        WAIT,
        () ->
            "created"
                .equals(
                    api.get(idp.token("sam", "sre"), "/v1/requests/" + id)
                        .body()
                        .path("grant")
                        .path("assignment")
                        .path("state")
                        .asText()));
    return id;
  }

  private CloudTrailEvent.Builder portalCall(String source, String name, String role) {
    return CloudTrailEvent.builder(source, name)
        .time(clock.instant())
        .region(REGION)
        .accessKeyId("ASIAPORTALSESSION001")
        .assumedRole(role, "pat@example.com");
  }

  /** The calls on the request's activity, each as its credential and name. */
  private List<String> calls(String requestId) throws Exception {
    Answer seen = api.get(verified("pat"), "/v1/requests/" + requestId + "/activity");
    assertThat(seen.status()).as(seen.body().toString()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    seen.body()
        .path("events")
        .forEach(
            e -> ids.add(e.path("credential_id").asText() + " " + e.path("event_name").asText()));
    return ids;
  }

  @Test
  void aPortalSessionsCallsAreTheGrantsActivityAndItsFindingsNameTheGrant() throws Exception {
    String id = assigned("pat");
    String role = provisioned.get();
    assertThat(role).startsWith("AWSReservedSSO_ReadOnly_");
    CloudTrailEvent read =
        portalCall("ec2.amazonaws.com", "DescribeInstances", role).readOnly(true).build();
    CloudTrailEvent stop =
        portalCall("cloudtrail.amazonaws.com", "StopLogging", role)
            .parameter("name", "arn:aws:cloudtrail:" + REGION + ":" + MEMBER + ":trail/org")
            .build();
    CloudTrailEvent otherSet =
        portalCall("s3.amazonaws.com", "ListBuckets", "AWSReservedSSO_Admin_fedcba9876543210")
            .build();
    CloudTrailEvent iamUser =
        CloudTrailEvent.builder("iam.amazonaws.com", "ListUsers")
            .time(clock.instant())
            .region(REGION)
            .accessKeyId("AKIAPATSOWNUSERKEY01")
            .user("pat@example.com")
            .build();
    for (CloudTrailEvent e : List.of(read, stop, otherSet, iamUser)) {
      cloudTrail.record(MEMBER, e);
    }
    clock.advance(Duration.ofMinutes(2));

    Eventually.until(
        "the portal session's calls on the grant's activity", WAIT, () -> calls(id).size() == 2);
    String grant =
        api.get(idp.token("sam", "sre"), "/v1/requests/" + id)
            .body()
            .path("grant")
            .path("id")
            .asText();
    assertThat(calls(id))
        .as("the grant's role only: not another permission set's, not an IAM user of the name")
        .containsExactlyInAnyOrder(
            "pta_" + grant + " DescribeInstances", "pta_" + grant + " StopLogging");
    Eventually.until(
        "a finding on the portal session's StopLogging", WAIT, () -> findings(id).size() > 0);
    JsonNode finding = findings(id).get(0);
    assertThat(finding.path("rule").asText()).isEqualTo("logging_off");
    assertThat(finding.path("request_id").asText()).isEqualTo(id);
    assertThat(finding.path("grant_id").asText()).isEqualTo(grant);
    assertThat(finding.path("credential_id").asText()).isEqualTo("pta_" + grant);
    assertThat(finding.path("person").path("subject").asText()).isEqualTo("pat");
    assertThat(finding.path("events").toString()).contains(stop.eventId());
  }

  private List<JsonNode> findings(String requestId) {
    Answer seen = api.get(idp.token("sam", "security"), "/v1/requests/" + requestId + "/findings");
    assertThat(seen.status()).as(seen.body().toString()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    seen.body().path("findings").forEach(out::add);
    return out;
  }

  @Test
  void aGrantWhosePersonMadeNoCallIsInTheReportOfGrantsNeverUsed() throws Exception {
    String id = assigned("kim");
    Eventually.until(
        "its portal access looked up",
        WAIT,
        () ->
            api.get(verified("kim"), "/v1/requests/" + id + "/activity")
                .body()
                .path("sources")
                .path(0)
                .path("checked_at")
                .isTextual());
    assertThat(api.post(idp.token("sam", "sre"), "/v1/requests/" + id + "/revoke", "{}").status())
        .isEqualTo(200);
    clock.advance(Duration.ofSeconds(5));
    Answer report = api.get(idp.token("sam", "security"), "/v1/reports/unused?since=1d");
    assertThat(report.status()).as(report.body().toString()).isEqualTo(200);
    JsonNode listed = null;
    for (JsonNode g : report.body().path("grants")) {
      if (g.toString().contains(id)) {
        listed = g;
      }
    }
    assertThat(listed).as(report.body().toString()).isNotNull();
    assertThat(listed.path("credentials").asLong()).as("its portal access").isEqualTo(1);
    assertThat(listed.path("looked_up").asLong()).isEqualTo(1);
    assertThat(listed.path("reason").asText()).isEqualTo("no_call");
    assertThat(listed.path("visibility").toString()).contains("management_calls");
  }
}
