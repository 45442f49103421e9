package dev.stint.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.Grant;
import dev.stint.access.RequestListener.Change;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.common.SourceNetworks;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.ledger.LedgerEntry;
import dev.stint.mint.CloudMinter;
import dev.stint.mint.Credential;
import dev.stint.mint.Lifetimes;
import dev.stint.mint.MintException;
import dev.stint.mint.MintOrder;
import dev.stint.mint.MintTarget;
import dev.stint.mint.Minters;
import dev.stint.mint.Receipt;
import dev.stint.mint.SessionRevoker;
import dev.stint.mint.aws.AwsClients;
import dev.stint.mint.aws.AwsRevocations;
import dev.stint.mint.aws.AwsSessionRevoker;
import dev.stint.mint.aws.AwsSettings;
import dev.stint.mint.aws.SourceIdentities;
import dev.stint.outbox.DurableListener.Delivery;
import dev.stint.policy.CloudTarget;
import dev.stint.testing.AuditTables;
import dev.stint.testing.DenyEvaluator.Session;
import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSts;
import dev.stint.testing.Requests;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A revocation's delivery, step by step, against the real migrations and ledger and AWS's real
 * revoker: the SDK's IAM client writing to the strict IAM stand-in (signed calls, IAM's size limit
 * on a role's inline policies), so what the test judges is the deny IAM would hold.
 */
class RevocationDeliveryTest {
  static final String ISSUER = "https://idp.example";
  static final String PROD = "arn:aws:iam::111122223333:role/prod";
  static final String AUDIT = "arn:aws:iam::111122223333:role/audit";
  static final String GRANT = "grt_revokedgrant01";
  static final String REQUEST = "req_revoked01";
  static final Delivery FIRST = new Delivery(7, 1);

  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final FakeSts sts = new FakeSts();
  private final FakeIam iam = new FakeIam().createRole("prod").createRole("audit").signedBy(sts);
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final List<String> failedAlarms = new CopyOnWriteArrayList<>();
  private final List<String> widenedAlarms = new CopyOnWriteArrayList<>();
  private final List<String> told = new CopyOnWriteArrayList<>();
  private final List<Duration> revokeToDeny = new CopyOnWriteArrayList<>();
  private DatabaseUrl url;
  private Vertx vertx;
  private AwsClients clients;
  private GroupCommitAuditLog audit;
  private Database db;
  private int keys;

  @BeforeEach
  void setUp() {
    url = TestPostgres.migratedDatabase();
    vertx = Vertx.vertx();
    db = Database.connect(vertx, url, 4);
    audit =
        new GroupCommitAuditLog(
            vertx, db.pool(), Clock.systemUTC(), new AuditConfig(Duration.ofSeconds(10), 64));
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

  /** The listener with AWS's revoker; {@code policies} managed policies beside the inline one. */
  private RevocationListener listener(int policies) {
    Clock clock = Clock.systemUTC();
    SessionRevoker revoker =
        new AwsSessionRevoker(
            vertx, new AwsRevocations(clients, executor, clock, policies), clock);
    return new RevocationListener(db.pool(), new Minters(List.of(aws(revoker))), reporting(), clock);
  }

  private Reporting reporting() {
    return new Reporting(
        audit,
        revokeToDeny::add,
        new Reporting.Alarm() {
          @Override
          public void revocationFailed(String grantId, String requestId, String why) {
            failedAlarms.add(grantId + " " + requestId);
          }

          @Override
          public void revocationWidened(String grantId, String target, long others) {
            widenedAlarms.add(grantId + " " + target + " " + others);
          }
        },
        (grants, target) -> {
          told.add(target + " " + grants.size());
          return Future.succeededFuture();
        });
  }

  /** The AWS cloud as a revocation sees it: a revoker, nothing minted. */
  static CloudMinter aws(SessionRevoker revoker) {
    return new CloudMinter() {
      @Override
      public String cloud() {
        return "aws";
      }

      @Override
      public Lifetimes.CloudLimits limits() {
        throw new UnsupportedOperationException("a revocation mints nothing");
      }

      @Override
      public MintTarget target(CloudTarget target, SourceNetworks sources) {
        throw new UnsupportedOperationException("a revocation mints nothing");
      }

      @Override
      public CompletableFuture<Credential> mint(MintOrder order) {
        throw new UnsupportedOperationException("a revocation mints nothing");
      }

      @Override
      public Optional<SessionRevoker> revoker() {
        return Optional.of(revoker);
      }
    };
  }

  /** An AWS session of {@code grantId} held by {@code subject} on {@code role}, in the ledger. */
  private Future<Void> session(String grantId, String subject, String role) {
    int key = ++keys;
    String credentialId = String.format("crd_%s_%05d", subject, key);
    return issued(
        credentialId,
        grantId,
        subject,
        Receipt.awsSession(
            role,
            String.format("ASIAREVOKE%010d", key),
            subject,
            SourceIdentities.of(ISSUER, subject, grantId),
            now.plusSeconds(900)));
  }

  private Future<Void> issued(String credentialId, String grantId, String subject, Receipt r) {
    LedgerEntry entry =
        new LedgerEntry(
            credentialId,
            LedgerEntry.Basis.grant(grantId, "req_" + grantId.substring(4), Optional.empty()),
            new LedgerEntry.Holder(ISSUER, subject),
            "prod",
            r);
    return audit
        .append(
            AuditEvent.builder("credential.issued")
                .grantId(grantId)
                .requestId("req_" + grantId.substring(4))
                .detail("credential_id", credentialId)
                .build(),
            entry)
        .mapEmpty();
  }

  /** {@code n} other grants' sessions on {@code role}, revoked earlier: each takes a deny. */
  private void othersRevoked(int n, String subjectPrefix, boolean samePerson) throws Exception {
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String subject = samePerson ? subjectPrefix : subjectPrefix + i;
      all.add(session(String.format("grt_other%05d", i), subject, PROD));
    }
    AuditTables.await(Future.all(all));
    // As each of those revokes marked its grant's sessions when it committed.
    AuditTables.execute(
        url, "UPDATE credentials SET state = 'revoked' WHERE grant_id LIKE 'grt_other%'");
  }

  private Change revoked() {
    Grant grant =
        new Grant(
            GRANT,
            REQUEST,
            "prod",
            Requests.ALICE,
            now.minusSeconds(60),
            now.plusSeconds(3600),
            false,
            Optional.empty(),
            Optional.empty());
    return new Change(
        "grant.revoked",
        Requests.approved(REQUEST).profile("prod").grant(grant).build(),
        Requests.ALICE,
        Optional.empty(),
        now);
  }

  /** Whether IAM denies every call of a session of {@code grantId} held by {@code subject}. */
  private boolean denied(String role, String grantId, String subject, Instant issuedAt) {
    return iam.denies(
        role,
        new Session(
            Map.of("stint:grant", grantId),
            Optional.of(SourceIdentities.of(ISSUER, subject, grantId)),
            issuedAt),
        Instant.now());
  }

  private String progress() throws Exception {
    return String.join(
        "|",
        AuditTables.strings(
            url,
            "SELECT progress || ' ' || coalesce(cloud, '-') || ' '"
                + " || coalesce(nullif(array_to_string(roles, ','), ''), '-')"
                + " || ' ' || credentials || ' ' || widened || ' ' || coalesce(detail, '-')"
                + " FROM revocations WHERE grant_id = '"
                + GRANT
                + "'"));
  }

  private List<String> events(String type, String column) throws Exception {
    return AuditTables.strings(
        url, "SELECT " + column + " FROM audit_events WHERE type = '" + type + "' ORDER BY seq");
  }

  @Test
  void aRevokedGrantsSessionsAreMarkedAndDeniedOnEveryRoleTheyWereIssuedOn() throws Exception {
    AuditTables.await(session(GRANT, "alice", PROD));
    AuditTables.await(session(GRANT, "alice", AUDIT));
    AuditTables.await(session("grt_untouched001", "bob", PROD));

    AuditTables.await(listener(0).deliver(revoked(), FIRST));

    assertThat(AuditTables.strings(url, "SELECT grant_id || ' ' || state FROM credentials"))
        .containsExactlyInAnyOrder(
            GRANT + " revoked", GRANT + " revoked", "grt_untouched001 live");
    assertThat(denied("prod", GRANT, "alice", now)).as("alice's session on prod").isTrue();
    assertThat(denied("audit", GRANT, "alice", now)).as("alice's session on audit").isTrue();
    assertThat(denied("prod", "grt_untouched001", "bob", now))
        .as("a grant nobody revoked")
        .isFalse();
    assertThat(progress()).isEqualTo("denied aws " + AUDIT + "," + PROD + " 2 false -");
    assertThat(events("grant.revocation_applied", "reason"))
        .containsExactly("deny statement in place on 2 role(s)");
    assertThat(events("grant.revocation_applied", "details->>'live_credentials'"))
        .containsExactly("denied");
    assertThat(
            events(
                "grant.revocation_applied",
                "grant_id || ' ' || request_id || ' ' || (details->>'attempt')"
                    + " || ' ' || (details->>'outbox_id')"))
        .containsExactly(GRANT + " " + REQUEST + " 1 7");
    assertThat(revokeToDeny).singleElement().satisfies(d -> assertThat(d.isNegative()).isFalse());
    assertThat(failedAlarms).isEmpty();
    assertThat(widenedAlarms).isEmpty();
    assertThat(told).as("nobody else's session was cut").isEmpty();
  }

  @Test
  void aGrantWithNothingValidRecordsNoneAndWritesNothingToIam() throws Exception {
    AuditTables.await(listener(0).deliver(revoked(), FIRST));

    assertThat(progress()).isEqualTo("none - - 0 false -");
    assertThat(iam.policy("prod", "stint-revocations")).isEmpty();
    assertThat(iam.calls()).as("no call reached IAM").isEmpty();
    assertThat(events("grant.revocation_applied", "reason"))
        .containsExactly("no credential of the grant is still valid: nothing written to any cloud");
    assertThat(revokeToDeny).as("nothing was denied").isEmpty();
  }

  @Test
  void tokensNoCloudCanRevokeLiveUntilTheyExpire() throws Exception {
    AuditTables.await(
        issued(
            "crd_token0001",
            GRANT,
            "alice",
            Receipt.token(
                "gcp", "sa@p.iam.gserviceaccount.com", "ya29.token", now.plusSeconds(600))));
    AuditTables.await(
        issued(
            "crd_token0002",
            GRANT,
            "alice",
            Receipt.token("gcp", "sa@p.iam.gserviceaccount.com", "ya29.other", now.plusSeconds(600))));

    AuditTables.await(listener(0).deliver(revoked(), FIRST));

    assertThat(progress()).isEqualTo("until_expiry - - 2 false -");
    assertThat(iam.calls()).isEmpty();
    assertThat(events("grant.revocation_applied", "details->>'valid_credentials'"))
        .containsExactly("2");
    assertThat(events("grant.revocation_applied", "reason"))
        .singleElement()
        .asString()
        .startsWith("the grant's valid credentials are tokens no cloud can revoke");
  }
}
