package dev.stint.activity;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.audit.AuditEvent;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.ledger.Ledger;
import dev.stint.ledger.LedgerEntry;
import dev.stint.ledger.LedgerRows;
import dev.stint.mint.Receipt;
import dev.stint.mint.aws.CloudTrailRecords;
import dev.stint.standin.CloudTrailEvent;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ingest against the real migrations and ledger: only the configured token is let in; a call is
 * kept on the request of the stint credential whose key made it, once however often it is
 * delivered, and never by a source identity alone (one can be copied); other calls are acknowledged
 * and dropped; an AssumeRole onto a role of the policy that created a session stint did not mint is
 * audited once and raises the alarm, whatever source identity it carries, and stint's own does not.
 */
class ActivityIngestTest {
  static final String TOKEN = "ingest-token-for-tests-0123456789abcdef";
  static final String ACCOUNT = "111122223333";
  static final String ROLE = "arn:aws:iam::111122223333:role/prod";
  static final String STINT_KEY = "ASIASTINTCREDENTIAL1";
  static final String STINT_IDENTITY = "0123456789abcdef.grt_1";
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final List<Map<String, Object>> alarms = new CopyOnWriteArrayList<>();
  private DatabaseUrl url;
  private Vertx vertx;
  private GrantActivity view;
  private ActivityIngest ingest;

  @BeforeEach
  void setUp() throws Exception {
    url = TestPostgres.migratedDatabase();
    vertx = Vertx.vertx();
    Database db = Database.connect(vertx, url, 4);
    GroupCommitAuditLog audit =
        new GroupCommitAuditLog(
            vertx, db.pool(), Clock.systemUTC(), new AuditConfig(Patience.AUDIT_COMMIT, 64));
    view = new GrantActivity(db.pool(), new Ledger(db.pool()), Visibility.Push.ON);
    RoleWatch roles =
        new RoleWatch(
            view,
            () -> Set.of(ROLE),
            audit,
            (role, caller, details) -> alarms.add(details),
            Clock.systemUTC());
    ingest =
        new ActivityIngest(
            view,
            new ActivityIngest.Reading(TOKEN, CloudTrailRecords::delivered),
            new ActivityIngest.Watch(
                roles, new ActivityAnomalies(view, audit, (e, d) -> {}, Clock.systemUTC())),
            Clock.systemUTC());
    LedgerEntry issued =
        new LedgerEntry(
            "crd_1",
            LedgerEntry.Basis.grant("grt_1", "req_1", Optional.empty()),
            new LedgerEntry.Holder("https://idp.example", "alice"),
            "prod",
            Receipt.awsSession(ROLE, STINT_KEY, "alice", STINT_IDENTITY, now.plusSeconds(900)));
    await(
        audit.append(
            AuditEvent.builder("credential.issued")
                .grantId("grt_1")
                .requestId("req_1")
                .detail("credential_id", "crd_1")
                .build(),
            LedgerRows.issued(issued)));
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  static CloudTrailEvent.Builder call(String name, String key) {
    return CloudTrailEvent.builder("sts.amazonaws.com", name)
        .time(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .region("eu-west-1")
        .accessKeyId(key);
  }

  static byte[] body(JsonObject record) {
    return new JsonObject().put("detail", record).encode().getBytes(StandardCharsets.UTF_8);
  }

  ActivityIngest.Outcome deliver(JsonObject record) throws Exception {
    return await(ingest.accept(Optional.of("Bearer " + TOKEN), body(record)));
  }

  long kept() throws Exception {
    return Long.parseLong(
        AuditTables.strings(url, "SELECT count(*)::text FROM activity_events").get(0));
  }

  long outside() throws Exception {
    return AuditTables.count(url, "type = 'role.assumed_outside'");
  }

  @Test
  void onlyTheConfiguredTokenIsLetInAndEachRefusalIsCounted() throws Exception {
    byte[] body = body(call("GetCallerIdentity", STINT_KEY).build().record(ACCOUNT));

    assertThat(await(ingest.accept(Optional.empty(), body)))
        .isEqualTo(ActivityIngest.Outcome.UNAUTHENTICATED);
    assertThat(await(ingest.accept(Optional.of("Bearer " + TOKEN + "x"), body)))
        .isEqualTo(ActivityIngest.Outcome.UNAUTHENTICATED);
    assertThat(await(ingest.accept(Optional.of(TOKEN), body)))
        .isEqualTo(ActivityIngest.Outcome.UNAUTHENTICATED);
    assertThat(ingest.unauthenticated()).isEqualTo(3);
    assertThat(kept()).isZero();
    assertThat(await(ingest.accept(Optional.of("Bearer " + TOKEN), "{}".getBytes())))
        .isEqualTo(ActivityIngest.Outcome.MALFORMED);
  }

  @Test
  void aCallOfAStintKeyIsKeptOnItsRequestOnceHoweverOftenDelivered() throws Exception {
    JsonObject record = call("GetCallerIdentity", STINT_KEY).build().record(ACCOUNT);

    assertThat(deliver(record)).isEqualTo(ActivityIngest.Outcome.KEPT);
    assertThat(deliver(record)).isEqualTo(ActivityIngest.Outcome.KEPT);

    GrantActivity.View v = await(view.of("req_1", Optional.empty()));
    assertThat(v.summary().calls()).isEqualTo(1);
    assertThat(v.events())
        .singleElement()
        .extracting(ActivityEvent::credentialId)
        .isEqualTo("crd_1");
    assertThat(v.sources())
        .extracting(GrantActivity.Source::name)
        .containsExactly(GrantActivity.LOOKUP, GrantActivity.INGEST);
  }

  @Test
  void aCallFromTheFutureOrBeyondCloudTrailsHistoryIsRefusedAndKeptNowhere() throws Exception {
    JsonObject future =
        call("GetCallerIdentity", STINT_KEY)
            .time(Instant.now().plus(Duration.ofDays(2)))
            .build()
            .record(ACCOUNT);
    JsonObject ancient =
        call("GetCallerIdentity", STINT_KEY)
            .time(Instant.now().minus(Duration.ofDays(91)))
            .build()
            .record(ACCOUNT);

    assertThat(deliver(future)).isEqualTo(ActivityIngest.Outcome.MALFORMED);
    assertThat(deliver(ancient)).isEqualTo(ActivityIngest.Outcome.MALFORMED);
    assertThat(kept()).isZero();
  }

  @Test
  void aSourceIdentityAloneTiesNoCallToAGrant() throws Exception {
    // Anyone allowed to set a source identity on a role can copy a grant's: it must not put their
    // calls on that grant.
    JsonObject record =
        call("ListBuckets", "ASIACHAINEDSESSION01")
            .assumedRole("other", "alice")
            .sourceIdentity(STINT_IDENTITY)
            .build()
            .record(ACCOUNT);

    assertThat(deliver(record)).isEqualTo(ActivityIngest.Outcome.UNMATCHED);
    assertThat(kept()).isZero();
  }

  @Test
  void aCallNoStintCredentialMadeIsAcknowledgedAndDropped() throws Exception {
    JsonObject record =
        call("ListBuckets", "ASIASOMEONEELSE00001")
            .assumedRole("other", "bob")
            .sourceIdentity("not-stint")
            .build()
            .record(ACCOUNT);

    assertThat(deliver(record)).isEqualTo(ActivityIngest.Outcome.UNMATCHED);
    assertThat(kept()).isZero();
  }

  @Test
  void aRoleOfThePolicyAssumedOutsideStintIsAuditedOnceAndRaisesTheAlarm() throws Exception {
    JsonObject record =
        call("AssumeRole", "AKIAOUTSIDER00000001")
            .user("mallory")
            .roleArn(ROLE)
            .build()
            .record(ACCOUNT);

    assertThat(deliver(record)).isEqualTo(ActivityIngest.Outcome.UNMATCHED);
    assertThat(deliver(record)).isEqualTo(ActivityIngest.Outcome.UNMATCHED);

    assertThat(outside()).isEqualTo(1);
    assertThat(alarms).hasSize(1);
    assertThat(alarms.get(0))
        .containsEntry("role", ROLE)
        .containsEntry("caller_arn", "arn:aws:iam::111122223333:user/mallory")
        .containsEntry("access_key_id", "AKIAOUTSIDER00000001")
        .containsEntry("source_ip", "198.51.100.7")
        .containsEntry("event_id", record.getString("eventID"))
        .containsKey("event_time");
  }

  @Test
  void aClaimWhoseReplicaStoppedBeforeItsRecordIsTakenOverAndAFreshOneIsNot() throws Exception {
    JsonObject stale =
        call("AssumeRole", "AKIAOUTSIDER00000003")
            .user("mallory")
            .roleArn(ROLE)
            .build()
            .record(ACCOUNT);
    JsonObject fresh =
        call("AssumeRole", "AKIAOUTSIDER00000004")
            .user("mallory")
            .roleArn(ROLE)
            .build()
            .record(ACCOUNT);
    // As a replica leaves them when it stops between its claim and the audit record.
    AuditTables.execute(
        url,
        "INSERT INTO activity_outside (event_id, recorded_at) VALUES ('"
            + stale.getString("eventID")
            + "', now() - interval '10 minutes'), ('"
            + fresh.getString("eventID")
            + "', now())");

    deliver(stale);
    deliver(fresh);

    assertThat(outside()).as("only the stale claim is taken over").isEqualTo(1);
    assertThat(alarms)
        .singleElement()
        .satisfies(d -> assertThat(d).containsEntry("event_id", stale.getString("eventID")));
    deliver(stale);
    assertThat(outside()).as("once recorded, never again").isEqualTo(1);
  }

  @Test
  void aSourceIdentityStintNeverSetIsOutsideToo() throws Exception {
    JsonObject record =
        call("AssumeRole", "ASIAOTHERSESSION0001")
            .assumedRole("other", "mallory")
            .sourceIdentity("0123456789abcdef.grt_forged")
            .roleArn(ROLE)
            .build()
            .record(ACCOUNT);

    deliver(record);

    assertThat(outside()).isEqualTo(1);
    assertThat(alarms).singleElement().satisfies(d -> assertThat(d).containsKey("source_identity"));
  }

  @Test
  void aCopiedStintSourceIdentityOrASessionChainedFromStintIsOutside() throws Exception {
    JsonObject copied =
        call("AssumeRole", "AKIAOUTSIDER00000002")
            .user("mallory")
            .roleArn(ROLE)
            .minted("ASIAMALLORYSESSION01")
            .build()
            .record(ACCOUNT);
    copied.getJsonObject("requestParameters").put("sourceIdentity", STINT_IDENTITY);
    JsonObject chained =
        call("AssumeRole", STINT_KEY)
            .assumedRole("prod", "alice")
            .sourceIdentity(STINT_IDENTITY)
            .roleArn(ROLE)
            .minted("ASIACHAINEDSESSION02")
            .build()
            .record(ACCOUNT);

    deliver(copied);
    deliver(chained);

    assertThat(outside()).isEqualTo(2);
    assertThat(alarms).hasSize(2);
  }

  @Test
  void aRoleAssumedByStintOrARoleOutsideThePolicyIsNotReported() throws Exception {
    JsonObject byStint =
        call("AssumeRole", "AKIASTINTBROKER00001")
            .user("stint")
            .roleArn(ROLE)
            .minted(STINT_KEY)
            .build()
            .record(ACCOUNT);
    byStint.getJsonObject("requestParameters").put("sourceIdentity", STINT_IDENTITY);
    JsonObject otherRole =
        call("AssumeRole", "AKIAOUTSIDER00000001")
            .user("mallory")
            .roleArn("arn:aws:iam::111122223333:role/not-in-the-policy")
            .build()
            .record(ACCOUNT);

    deliver(byStint);
    deliver(otherRole);

    assertThat(outside()).isZero();
    assertThat(alarms).isEmpty();
  }

  /**
   * IAM names a role by its account and its name, whatever the case or path a caller writes: STS
   * takes {@code role/PROD} or {@code role/any/path/prod} for the role {@code prod}, and CloudTrail
   * records the ARN as the caller wrote it.
   */
  @Test
  void aRoleOfThePolicyAssumedUnderAnotherSpellingOfItsArnIsOutsideToo() throws Exception {
    for (String spelled :
        List.of("arn:aws:iam::111122223333:role/PROD", "arn:aws:iam::111122223333:role/ops/Prod")) {
      deliver(
          call("AssumeRole", "AKIAOUTSIDER00000001")
              .user("mallory")
              .roleArn(spelled)
              .build()
              .record(ACCOUNT));
    }

    assertThat(outside()).isEqualTo(2);
    assertThat(alarms).hasSize(2).allSatisfy(d -> assertThat(d).containsEntry("role", ROLE));
  }

  @Test
  void aRoleOfTheSameNameInAnotherAccountOrPartitionIsNotThePolicys() throws Exception {
    for (String other :
        List.of(
            "arn:aws:iam::999988887777:role/prod",
            "arn:aws-cn:iam::111122223333:role/prod",
            "arn:aws:iam::111122223333:role/prod2",
            "arn:aws:iam::111122223333:user/prod")) {
      deliver(
          call("AssumeRole", "AKIAOUTSIDER00000001")
              .user("mallory")
              .roleArn(other)
              .build()
              .record(ACCOUNT));
    }

    assertThat(outside()).isZero();
  }

  /** A web identity or SAML assumption onto a role of the policy, not one stint minted. */
  static JsonObject federated(String name, String type, String provider, String user, String key)
      throws Exception {
    JsonObject record = call(name, "unused").roleArn(ROLE).minted(key).build().record(ACCOUNT);
    record.put(
        "userIdentity",
        new JsonObject()
            .put("type", type)
            .put("principalId", provider + ":" + user)
            .put("userName", user)
            .put("identityProvider", provider));
    return record;
  }

  @Test
  void aRoleAssumedWithAWebIdentityOrSamlOutsideStintIsAuditedToo() throws Exception {
    JsonObject github =
        federated(
            "AssumeRoleWithWebIdentity",
            "WebIdentityUser",
            "token.actions.githubusercontent.com",
            "repo:acme/app:ref:refs/heads/main",
            "ASIAWEBIDENTITY00001");
    JsonObject saml =
        federated(
            "AssumeRoleWithSAML",
            "SAMLUser",
            "arn:aws:iam::111122223333:saml-provider/corp",
            "mallory@example.com",
            "ASIASAMLSESSION00001");

    deliver(github);
    deliver(saml);

    assertThat(outside()).isEqualTo(2);
    assertThat(alarms)
        .extracting(d -> d.get("federated_user"), d -> d.get("event_name"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "token.actions.githubusercontent.com/repo:acme/app:ref:refs/heads/main",
                "AssumeRoleWithWebIdentity"),
            org.assertj.core.groups.Tuple.tuple(
                "arn:aws:iam::111122223333:saml-provider/corp/mallory@example.com",
                "AssumeRoleWithSAML"));
    assertThat(
            AuditTables.strings(
                url,
                "SELECT reason FROM audit_events WHERE type = 'role.assumed_outside'"
                    + " ORDER BY seq DESC LIMIT 1"))
        .singleElement()
        .satisfies(r -> assertThat(r).startsWith("arn:aws:iam::111122223333:saml-provider/corp/"));
  }

  @Test
  void aWebIdentitySessionStintMintedIsNotReported() throws Exception {
    deliver(
        federated(
            "AssumeRoleWithWebIdentity",
            "WebIdentityUser",
            "stint.example.com",
            "grt_0123456789",
            STINT_KEY));
    assertThat(outside()).isZero();
    assertThat(alarms).isEmpty();
  }
}
