package dev.stint.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.Grant;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.access.RequestListener.Change;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.error.ErrorCode;
import dev.stint.mint.MintException;
import dev.stint.mint.Minters;
import dev.stint.mint.SessionRevoker;
import dev.stint.mint.aws.AwsClients;
import dev.stint.mint.aws.AwsRevocations;
import dev.stint.mint.aws.AwsSessionRevoker;
import dev.stint.mint.aws.AwsSettings;
import dev.stint.mint.aws.PortalPolicy;
import dev.stint.outbox.DurableListener.Delivery;
import dev.stint.standin.SigningKeys;
import dev.stint.testing.AuditTables;
import dev.stint.testing.DenyEvaluator.Session;
import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSts;
import dev.stint.testing.Patience;
import dev.stint.testing.Requests;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A revoked IAM Identity Center grant's portal sessions, which AWS issued and no source identity of
 * stint's names: AWS refuses every write to the permission set's provisioned role, so the
 * revocation writes stint's deny of that user's sessions of that role issued before the revoke to
 * the member account's customer managed policy the permission set references (attached to the role
 * by Identity Center), from the recorded cutoffs, against the strict IAM stand-in.
 */
class PortalRevocationTest {
  static final String ROLE_NAME = "AWSReservedSSO_ReadOnly_0123abcd4567ef89";
  static final String ROLE = role(ROLE_NAME);

  /** Another permission set's role in the account, whose permission set references it too. */
  static final String ADMIN_NAME = "AWSReservedSSO_Admin_89abcdef01234567";

  static final String POLICY =
      "arn:aws:iam::" + SigningKeys.HOME_ACCOUNT + ":policy/stint/stint-portal-revocations";
  static final String ROLE_ID = "AROAPORTALROLE000001";
  static final String GRANT = "grt_portalgrant01";
  static final String REQUEST = "req_portal01";

  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final FakeSts sts = new FakeSts();
  private final FakeIam iam = withPolicy(new FakeIam().signedBy(sts));
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final List<String> failedAlarms = new CopyOnWriteArrayList<>();
  private DatabaseUrl url;
  private Vertx vertx;
  private AwsClients clients;
  private GroupCommitAuditLog audit;
  private Database db;

  static String role(String name) {
    return "arn:aws:iam::"
        + SigningKeys.HOME_ACCOUNT
        + ":role/aws-reserved/sso.amazonaws.com/"
        + name;
  }

  /**
   * The account's policy as Terraform creates it, referenced by both permission sets, so Identity
   * Center attached it to both roles.
   */
  static FakeIam withPolicy(FakeIam iam) {
    iam.managed()
        .create(
            SigningKeys.HOME_ACCOUNT, PortalPolicy.PATH, PortalPolicy.NAME, PortalPolicy.INITIAL);
    return iam.provisioned(SigningKeys.HOME_ACCOUNT, ROLE_NAME, List.of(POLICY))
        .provisioned(SigningKeys.HOME_ACCOUNT, ADMIN_NAME, List.of(POLICY));
  }

  @BeforeEach
  void setUp() {
    url = TestPostgres.migratedDatabase();
    vertx = Vertx.vertx();
    db = Database.connect(vertx, url, 4);
    audit =
        new GroupCommitAuditLog(
            vertx, db.pool(), Clock.systemUTC(), new AuditConfig(Patience.AUDIT_COMMIT, 64));
    clients =
        new AwsClients(
            vertx,
            new AwsSettings(
                Optional.of("eu-west-1"),
                Optional.of(sts.uri()),
                Optional.of(iam.uri()),
                AwsSettings.DEFAULT_SIGNIN,
                new AwsSettings.Calls(
                    Duration.ofSeconds(5), Duration.ofMillis(1500), 2, Duration.ofMillis(1))),
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIASTINTTESTKEY0001", "stint-test-secret")),
            2);
  }

  @AfterEach
  void tearDown() throws Exception {
    clients.close();
    iam.close();
    sts.close();
    executor.shutdownNow();
    AuditTables.await(vertx.close());
  }

  private RevocationListener listener(PortalSessions portals) {
    Clock clock = Clock.systemUTC();
    SessionRevoker revoker =
        new AwsSessionRevoker(vertx, new AwsRevocations(clients, executor, clock, 0), clock);
    Reporting reporting =
        new Reporting(
            audit,
            d -> {},
            new Reporting.Alarm() {
              @Override
              public void revocationFailed(String grantId, String requestId, String why) {
                failedAlarms.add(grantId + " " + requestId);
              }

              @Override
              public void revocationWidened(String grantId, String target, long others) {
                throw new AssertionError("nothing is widened here");
              }
            },
            (grants, target) -> Future.succeededFuture());
    return new RevocationListener(
        db.pool(),
        new Minters(List.of(RevocationDeliveryTest.aws(revoker))),
        reporting,
        clock,
        portals);
  }

  private Change revoked(Instant at) {
    Grant grant =
        new Grant(
            GRANT,
            REQUEST,
            "prod-readonly",
            Requests.ALICE,
            now.minusSeconds(600),
            now.plusSeconds(3600),
            false,
            Optional.empty(),
            Optional.empty(),
            Narrowed.NONE);
    return new Change(
        "grant.revoked",
        Requests.approved(REQUEST).profile("prod-readonly").grant(grant).build(),
        Requests.ALICE,
        Optional.empty(),
        at);
  }

  private boolean denied(String user, Instant issuedAt) {
    return iam.denies(ROLE_NAME, Session.portal(ROLE, ROLE_ID, user, issuedAt), Instant.now());
  }

  private String progress() throws Exception {
    return String.join(
        "|",
        AuditTables.strings(
            url,
            "SELECT progress || ' ' || coalesce(detail, '-') FROM revocations WHERE grant_id = '"
                + GRANT
                + "'"));
  }

  @Test
  void aRevokeDeniesThePersonsEarlierPortalSessionsOnTheProvisionedRoleAndNobodyElses()
      throws Exception {
    Instant revokedAt = now;
    AuditTables.await(listener(alices()).deliver(revoked(revokedAt), new Delivery(7, 1)));

    assertThat(denied("alice@example.com", revokedAt.minusSeconds(60)))
        .as("alice's portal session taken before the revoke")
        .isTrue();
    assertThat(denied("bob@example.com", revokedAt.minusSeconds(60)))
        .as("bob's session on the same role")
        .isFalse();
    assertThat(denied("mallory-alice@example.com", revokedAt.minusSeconds(60)))
        .as("a user whose name only ends like hers")
        .isFalse();
    assertThat(denied("alice@example.com", revokedAt.plusSeconds(60)))
        .as("alice's session taken after the revoke (a later grant's)")
        .isFalse();
    Session adminSession =
        Session.portal(role(ADMIN_NAME), "AROAPORTALROLE000002", "alice@example.com", revokedAt);
    assertThat(iam.denies(ADMIN_NAME, adminSession, Instant.now()))
        .as("alice's earlier session under another permission set referencing the policy")
        .isFalse();
    assertThat(iam.policy(ROLE_NAME, "stint-revocations"))
        .as("nothing written on the protected role")
        .isEmpty();
    assertThat(iam.managed().versions(POLICY)).as("a new default version").isEqualTo(2);
    assertThat(progress()).isEqualTo("denied -");
    assertThat(failedAlarms).isEmpty();
  }

  @Test
  void aWriteThatFailedIsMadeByTheNextDeliveryOfAnotherProcessFromTheRecordedCutoff()
      throws Exception {
    iam.failNext(FakeIam.Failure.ACCESS_DENIED);
    AuditTables.failure(listener(alices()).deliver(revoked(now), new Delivery(7, 1)));
    assertThat(progress()).startsWith("failed ");
    assertThat(denied("alice@example.com", now.minusSeconds(60))).isFalse();
    assertThat(
            AuditTables.strings(
                url,
                "SELECT target || ' ' || role_arn || ' ' || user_name FROM revocation_user_cutoffs"))
        .as("recorded before the write")
        .containsExactly(POLICY + " " + ROLE + " alice@example.com");

    // The outbox's next delivery, by a listener of a process started since.
    AuditTables.await(listener(alices()).deliver(revoked(now), new Delivery(7, 2)));

    assertThat(denied("alice@example.com", now.minusSeconds(60))).isTrue();
    assertThat(progress()).isEqualTo("denied -");
  }

  @Test
  void aPolicyTheAccountDoesNotHaveRecordsWhyAndRaisesTheAlarm() throws Exception {
    iam.managed().remove(POLICY);

    AuditTables.failure(listener(alices()).deliver(revoked(now), new Delivery(7, 1)));

    assertThat(progress())
        .startsWith("failed ")
        .contains("/stint/stint-portal-revocations does not exist in the account");
    assertThat(failedAlarms).containsExactly(GRANT + " " + REQUEST);
  }

  @Test
  void aDenyOnTheProvisionedRoleItselfIsRefusedAsAwsRefusesIt() throws Exception {
    // What an earlier build did: the role as the deny's target, written with PutRolePolicy.
    PortalSessions onTheRole =
        (grantId, at) ->
            Future.succeededFuture(
                List.of(
                    new PortalSessions.Held(
                        "aws", ROLE, ROLE, "alice@example.com", at.plus(Duration.ofHours(1)))));

    AuditTables.failure(listener(onTheRole).deliver(revoked(now), new Delivery(7, 1)));

    assertThat(progress()).startsWith("failed ").contains("AWS refuses every write to it");
    assertThat(iam.policy(ROLE_NAME, "stint-revocations")).isEmpty();
    assertThat(denied("alice@example.com", now.minusSeconds(60))).isFalse();
  }

  /** alice's portal sessions of the ReadOnly role, denied in the account's policy. */
  static PortalSessions alices() {
    return (grantId, at) ->
        Future.succeededFuture(
            grantId.equals(GRANT)
                ? List.of(
                    new PortalSessions.Held(
                        "aws", POLICY, ROLE, "alice@example.com", at.plus(Duration.ofHours(12))))
                : List.of());
  }

  @Test
  void aProvisionedRoleNotFoundRecordsWhyAndRaisesTheAlarmWithNothingDenied() throws Exception {
    PortalSessions unprovisioned =
        (grantId, at) ->
            Future.failedFuture(
                new MintException(
                    ErrorCode.INTERNAL,
                    "no role AWSReservedSSO_ReadOnly_* under /aws-reserved/sso.amazonaws.com/"
                        + " in account "
                        + SigningKeys.HOME_ACCOUNT
                        + ": the permission set is not provisioned there",
                    false,
                    null));

    Future<Void> delivered = listener(unprovisioned).deliver(revoked(now), new Delivery(7, 1));
    AuditTables.failure(delivered);

    assertThat(progress()).startsWith("failed ").contains("is not provisioned there");
    assertThat(failedAlarms).containsExactly(GRANT + " " + REQUEST);
    assertThat(iam.policy(ROLE_NAME, "stint-revocations")).isEmpty();
  }
}
