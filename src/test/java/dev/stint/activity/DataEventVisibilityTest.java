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
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What stint can see of a grant's AWS calls, from the real migrations: management calls are looked
 * up, data events only arrive by the push, so a grant is "not used" only once the push is on and
 * has delivered a data event from its role's account. An S3 read pushed as EventBridge delivers it
 * makes the grant used; an access review's evidence counts the grants that ended without a call
 * seen but could have made calls unseen.
 */
class DataEventVisibilityTest {
  static final String TOKEN = "ingest-token-for-tests-0123456789abcdef";
  static final String ACCOUNT = "111122223333";
  static final String ROLE = "arn:aws:iam::111122223333:role/prod";
  static final String ISSUER = "https://idp.example";
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private DatabaseUrl url;
  private Vertx vertx;
  private Pool pool;
  private GroupCommitAuditLog audit;

  @BeforeEach
  void setUp() throws Exception {
    url = TestPostgres.migratedDatabase();
    vertx = Vertx.vertx();
    pool = Database.connect(vertx, url, 4).pool();
    audit =
        new GroupCommitAuditLog(
            vertx, pool, Clock.systemUTC(), new AuditConfig(Patience.AUDIT_COMMIT, 64));
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  @Test
  void aGrantWithNoCallSeenIsNotUsedOnlyOnceItsAccountsDataEventsArePushed() throws Exception {
    ended("req_1", "alice");
    session("req_1", "crd_1", "ASIASESSIONKEY000001");

    GrantActivity.View off = await(view(Visibility.Push.OFF).of("req_1", Optional.empty()));
    GrantActivity.View silent = await(view(Visibility.Push.ON).of("req_1", Optional.empty()));
    await(view(Visibility.Push.ON).ingestStore().dataPushed(ACCOUNT, now));
    GrantActivity.View pushed = await(view(Visibility.Push.ON).of("req_1", Optional.empty()));
    GrantActivity.View offStill = await(view(Visibility.Push.OFF).of("req_1", Optional.empty()));

    assertThat(off.summary().noCallSeen()).isTrue();
    assertThat(off.unused()).isFalse();
    assertThat(off.visibility().unseen()).containsExactly(Visibility.Unseen.DATA_EVENTS_PUSH_OFF);
    assertThat(silent.unused()).isFalse();
    assertThat(silent.visibility().unseen())
        .containsExactly(Visibility.Unseen.DATA_EVENTS_NOT_PUSHED);
    assertThat(silent.visibility().silentAccounts()).containsExactly(ACCOUNT);
    assertThat(pushed.unused()).isTrue();
    assertThat(pushed.visibility().seen())
        .containsExactly(Visibility.Seen.MANAGEMENT_CALLS, Visibility.Seen.DATA_EVENTS);
    assertThat(offStill.unused()).as("the push turned off sees no data event").isFalse();
  }

  /**
   * A data event pushed from the account before the session was issued says the trail logged data
   * events then, not while the session lived: the grant is still not "not used".
   */
  @Test
  void dataEventsPushedOnlyBeforeTheSessionWasIssuedSeeNothingOfIt() throws Exception {
    await(
        view(Visibility.Push.ON).ingestStore().dataPushed(ACCOUNT, now.minus(Duration.ofDays(1))));
    ended("req_1", "alice");
    session("req_1", "crd_1", "ASIASESSIONKEY000001");

    GrantActivity.View before = await(view(Visibility.Push.ON).of("req_1", Optional.empty()));
    await(view(Visibility.Push.ON).ingestStore().dataPushed(ACCOUNT, Instant.now()));
    GrantActivity.View since = await(view(Visibility.Push.ON).of("req_1", Optional.empty()));

    assertThat(before.unused()).isFalse();
    assertThat(before.visibility().silentAccounts()).containsExactly(ACCOUNT);
    assertThat(since.unused()).isTrue();
  }

  @Test
  void anS3ReadPushedAsEventBridgeDeliversItMakesTheGrantUsed() throws Exception {
    ended("req_1", "alice");
    session("req_1", "crd_1", "ASIASESSIONKEY000001");
    GrantActivity view = view(Visibility.Push.ON);
    ActivityIngest ingest = ingest(view);
    JsonObject record =
        CloudTrailEvent.builder("s3.amazonaws.com", "GetObject")
            .time(now)
            .region("eu-west-1")
            .accessKeyId("ASIASESSIONKEY000001")
            .assumedRole("prod", "alice")
            .sourceIdentity("0123456789abcdef.grt_req_1")
            .parameter("bucketName", "reports")
            .parameter("key", "q3.csv")
            .resource("AWS::S3::Object", "arn:aws:s3:::reports/q3.csv")
            .resource("AWS::S3::Bucket", "arn:aws:s3:::reports")
            .readOnly(true)
            .data()
            .build()
            .record(ACCOUNT);
    byte[] body =
        new JsonObject()
            .put("detail-type", "AWS API Call via CloudTrail")
            .put("source", "aws.s3")
            .put("account", ACCOUNT)
            .put("detail", record)
            .encode()
            .getBytes(StandardCharsets.UTF_8);

    assertThat(await(ingest.accept(Optional.of("Bearer " + TOKEN), body)))
        .isEqualTo(ActivityIngest.Outcome.KEPT);

    GrantActivity.View v = await(view.of("req_1", Optional.empty()));
    assertThat(v.summary().calls()).isEqualTo(1);
    assertThat(v.summary().services()).containsOnlyKeys("s3.amazonaws.com");
    assertThat(v.unused()).isFalse();
    assertThat(v.visibility().whole()).as("its account's data events now arrive").isTrue();
    assertThat(AuditTables.strings(url, "SELECT used::text FROM grant_usage"))
        .containsExactly("true");
    ProfileUsage.Usage alice = usage(Visibility.Push.ON).get(person("alice"));
    assertThat(alice.calls()).isEqualTo(1);
    assertThat(alice.unusedGrants()).isZero();
  }

  @Test
  void reviewEvidenceCountsTheUnusedGrantsThatCouldHaveBeenUsedUnseen() throws Exception {
    ended("req_aws", "alice");
    session("req_aws", "crd_aws", "ASIASESSIONKEY000002");
    ended("req_none", "alice");
    ended("req_console", "bob");
    consoleLink("req_console", "crd_console");

    Map<ProfileUsage.Requester, ProfileUsage.Usage> off = usage(Visibility.Push.OFF);
    assertThat(off.get(person("alice")).unusedGrants()).isEqualTo(2);
    assertThat(off.get(person("alice")).unusedUnseen())
        .as("the grant that handed out nothing hides nothing")
        .isEqualTo(1);
    assertThat(off.get(person("alice")).unseen().unseen())
        .containsExactly(Visibility.Unseen.DATA_EVENTS_PUSH_OFF);
    assertThat(off.get(person("bob")).unusedUnseen()).isEqualTo(1);
    assertThat(off.get(person("bob")).unseen().unseen())
        .containsExactly(Visibility.Unseen.CREDENTIALS_NOT_LOOKED_UP);

    assertThat(usage(Visibility.Push.ON).get(person("alice")).unseen().silentAccounts())
        .containsExactly(ACCOUNT);
    await(view(Visibility.Push.ON).ingestStore().dataPushed(ACCOUNT, now));
    ProfileUsage.Usage seen = usage(Visibility.Push.ON).get(person("alice"));
    assertThat(seen.unusedUnseen()).isZero();
    assertThat(seen.unseen().whole()).isTrue();
  }

  @Test
  void theReportOfGrantsWithoutACallSaysWhichCouldHaveBeenUsedUnseen() throws Exception {
    ended("req_aws", "alice");
    session("req_aws", "crd_aws", "ASIASESSIONKEY000003");
    ended("req_none", "alice");
    Instant since = now.minus(Duration.ofHours(3));

    Map<String, UnusedGrants.Grant> off = report(Visibility.Push.OFF, since);
    await(view(Visibility.Push.ON).ingestStore().dataPushed(ACCOUNT, now));
    Map<String, UnusedGrants.Grant> pushed = report(Visibility.Push.ON, since);

    assertThat(off.get("req_aws").visibility().unseen())
        .containsExactly(Visibility.Unseen.DATA_EVENTS_PUSH_OFF);
    assertThat(off.get("req_none").visibility().whole()).as("nothing handed out").isTrue();
    assertThat(pushed.get("req_aws").visibility().whole()).isTrue();
    assertThat(pushed.get("req_aws").visibility().seen()).contains(Visibility.Seen.DATA_EVENTS);
  }

  private Map<String, UnusedGrants.Grant> report(Visibility.Push push, Instant since)
      throws Exception {
    Map<String, UnusedGrants.Grant> out = new HashMap<>();
    await(new UnusedGrants(pool, push).since(since, now))
        .grants()
        .forEach(g -> out.put(g.requestId(), g));
    return out;
  }

  private GrantActivity view(Visibility.Push push) {
    return new GrantActivity(pool, new Ledger(pool), push);
  }

  private ActivityIngest ingest(GrantActivity view) {
    RoleWatch roles =
        new RoleWatch(view, Set::of, audit, (role, caller, details) -> {}, Clock.systemUTC());
    return new ActivityIngest(
        view,
        new ActivityIngest.Reading(TOKEN, CloudTrailRecords::delivered),
        new ActivityIngest.Watch(
            roles, new ActivityAnomalies(view, audit, (e, d) -> {}, Clock.systemUTC())),
        Clock.systemUTC());
  }

  private Map<ProfileUsage.Requester, ProfileUsage.Usage> usage(Visibility.Push push)
      throws Exception {
    return await(new ProfileUsage(pool, push).since("prod", now.minus(Duration.ofHours(3)), now));
  }

  private static ProfileUsage.Requester person(String subject) {
    return new ProfileUsage.Requester(ISSUER, subject);
  }

  /** An approved request of {@code who}'s whose 30-minute grant ended an hour and a half ago. */
  private void ended(String id, String who) throws Exception {
    Instant start = now.minus(Duration.ofHours(2));
    AuditTables.execute(
        TestPostgres.asSuperuser(url),
        "INSERT INTO access_requests (id, profile, requester_issuer, requester_subject,"
            + " requester_email, reason, duration_seconds, break_glass, approvals_required, state,"
            + " created_at, updated_at, version) VALUES ('"
            + id
            + "', 'prod', '"
            + ISSUER
            + "', '"
            + who
            + "', '"
            + who
            + "@example.com', 'INC-1', 1800, false, 0, 'approved', "
            + at(start)
            + ", "
            + at(start)
            + ", 1); INSERT INTO grants (id, request_id, profile, principal_issuer,"
            + " principal_subject, starts_at, ends_at, break_glass, created_at) VALUES ('grt_"
            + id
            + "', '"
            + id
            + "', 'prod', '"
            + ISSUER
            + "', '"
            + who
            + "', "
            + at(start)
            + ", "
            + at(start.plus(Duration.ofMinutes(30)))
            + ", false, "
            + at(start)
            + ")");
  }

  /** An AWS session of the grant of {@code requestId}, on {@link #ROLE}, in the ledger. */
  private void session(String requestId, String credentialId, String key) throws Exception {
    issued(
        requestId,
        credentialId,
        Receipt.awsSession(
            ROLE, key, "alice", "0123456789abcdef.grt_" + requestId, now.plusSeconds(900)));
  }

  /** A console sign-in link of the grant of {@code requestId}: no log names its session. */
  private void consoleLink(String requestId, String credentialId) throws Exception {
    issued(
        requestId,
        credentialId,
        Receipt.token("aws", ROLE, "https://signin.example/link", now.plusSeconds(900)));
  }

  private void issued(String requestId, String credentialId, Receipt receipt) throws Exception {
    LedgerEntry entry =
        new LedgerEntry(
            credentialId,
            LedgerEntry.Basis.grant("grt_" + requestId, requestId, Optional.empty()),
            new LedgerEntry.Holder(ISSUER, "alice"),
            "prod",
            receipt);
    await(
        audit.append(
            AuditEvent.builder("credential.issued")
                .grantId("grt_" + requestId)
                .requestId(requestId)
                .detail("credential_id", credentialId)
                .build(),
            LedgerRows.issued(entry)));
  }

  private static String at(Instant i) {
    return "timestamptz '" + OffsetDateTime.ofInstant(i, ZoneOffset.UTC) + "'";
  }
}
