package dev.stint.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.Grant;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.access.RequestListener.Change;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.cloud.AwsTarget;
import dev.stint.cloud.Cloud;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.ledger.Ledger;
import dev.stint.ledger.LedgerEntry;
import dev.stint.ledger.LedgerReach;
import dev.stint.ledger.LedgerRows;
import dev.stint.mint.CloudMinter;
import dev.stint.mint.Credential;
import dev.stint.mint.Lifetimes;
import dev.stint.mint.MintException;
import dev.stint.mint.MintOrder;
import dev.stint.mint.Minters;
import dev.stint.mint.Receipt;
import dev.stint.mint.SessionRevoker;
import dev.stint.mint.aws.AwsClients;
import dev.stint.mint.aws.AwsRevocations;
import dev.stint.mint.aws.AwsSessionRevoker;
import dev.stint.mint.aws.AwsSettings;
import dev.stint.mint.aws.SourceIdentities;
import dev.stint.outbox.DurableListener.Delivery;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
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

  /** The listener with AWS's revoker; {@code policies} managed policies beside the inline one. */
  private RevocationListener listener(int policies) {
    Clock clock = Clock.systemUTC();
    SessionRevoker revoker =
        new AwsSessionRevoker(vertx, new AwsRevocations(clients, executor, clock, policies), clock);
    return new RevocationListener(
        db.pool(), new Minters(List.of(aws(revoker))), reporting(), clock);
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
  static CloudMinter<AwsTarget, Credential> aws(SessionRevoker revoker) {
    return new CloudMinter<AwsTarget, Credential>() {
      @Override
      public Cloud<AwsTarget> cloud() {
        return Cloud.AWS;
      }

      @Override
      public Lifetimes.CloudLimits limits() {
        throw new UnsupportedOperationException("a revocation mints nothing");
      }

      @Override
      public CompletableFuture<Credential> mint(AwsTarget target, MintOrder order) {
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
            LedgerRows.issued(entry))
        .mapEmpty();
  }

  /** {@code n} other grants' sessions on {@code role}, revoked earlier: each takes a deny. */
  private void othersRevoked(int n, String subjectPrefix, boolean samePerson) throws Exception {
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String subject = samePerson ? subjectPrefix : subjectPrefix + i;
      all.add(session(String.format("grt_otherrevokedgrant%08d", i), subject, PROD));
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
            Optional.empty(),
            Narrowed.NONE);
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
        .containsExactlyInAnyOrder(GRANT + " revoked", GRANT + " revoked", "grt_untouched001 live");
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

  /**
   * The outbox delivers at least once: a replica killed after the revocation settled, before the
   * outbox heard, has it delivered again. The settled row and its event were committed together, so
   * the repeat writes nothing to IAM and records nothing twice.
   */
  @Test
  void aRepeatedDeliveryOfASettledRevocationRecordsItOnce() throws Exception {
    AuditTables.await(session(GRANT, "alice", PROD));
    AtomicInteger puts = new AtomicInteger();
    iam.afterPut(puts::incrementAndGet);
    RevocationListener listener = listener(0);

    AuditTables.await(listener.deliver(revoked(), FIRST));
    int putsOnce = puts.get();
    AuditTables.await(listener.deliver(revoked(), new Delivery(FIRST.id(), 2)));

    assertThat(putsOnce).isPositive();
    assertThat(puts).as("IAM writes on the repeat").hasValue(putsOnce);
    assertThat(events("grant.revocation_applied", "details->>'attempt'")).containsExactly("1");
    assertThat(progress()).isEqualTo("denied aws " + PROD + " 1 false -");
    assertThat(denied("prod", GRANT, "alice", now)).isTrue();
  }

  /** A settled revocation's row is the one its event committed with: neither is written alone. */
  @Test
  void theSettledRowIsWrittenOnlyWithItsEvent() throws Exception {
    AuditTables.await(session(GRANT, "alice", PROD));
    AuditTables.execute(
        TestPostgres.asSuperuser(url),
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            + " RAISE EXCEPTION 'refused'; END $$");
    AuditTables.execute(
        TestPostgres.asSuperuser(url),
        "CREATE TRIGGER refuse_applied BEFORE INSERT ON audit_events FOR EACH ROW"
            + " WHEN (NEW.type = 'grant.revocation_applied') EXECUTE FUNCTION refuse()");

    assertThat(AuditTables.failure(listener(0).deliver(revoked(), FIRST))).isNotNull();
    assertThat(progress())
        .as("the deny is written, the settlement is not")
        .startsWith("until_deny");
    assertThat(events("grant.revocation_applied", "grant_id")).isEmpty();

    AuditTables.execute(
        TestPostgres.asSuperuser(url), "DROP TRIGGER refuse_applied ON audit_events");
    AuditTables.await(listener(0).deliver(revoked(), new Delivery(FIRST.id(), 2)));
    assertThat(progress()).isEqualTo("denied aws " + PROD + " 1 false -");
    assertThat(events("grant.revocation_applied", "details->>'attempt'")).containsExactly("2");
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
            Receipt.token(
                "gcp", "sa@p.iam.gserviceaccount.com", "ya29.other", now.plusSeconds(600))));

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

  @Test
  void aRoleIamDoesNotHaveFailsTheRevocationAndRaisesTheAlarmOnce() throws Exception {
    String gone = "arn:aws:iam::111122223333:role/gone";
    AuditTables.await(session(GRANT, "alice", gone));
    RevocationListener listener = listener(0);

    Throwable first = AuditTables.failure(listener.deliver(revoked(), FIRST));
    Throwable again = AuditTables.failure(listener.deliver(revoked(), new Delivery(7, 2)));

    assertThat(first).isInstanceOf(MintException.class);
    assertThat(((MintException) first).retryable()).as("an operator must act").isFalse();
    assertThat(again).isInstanceOf(MintException.class);
    assertThat(progress()).startsWith("failed aws " + gone + " 1 false ");
    assertThat(AuditTables.strings(url, "SELECT state FROM credentials"))
        .as("marked revoked before the write was tried")
        .containsExactly("revoked");
    assertThat(failedAlarms)
        .as("raised when the revocation first fails, not at each retry")
        .containsExactly(GRANT + " " + REQUEST);
    assertThat(events("grant.revocation_applied", "reason")).isEmpty();
    assertThat(revokeToDeny).isEmpty();
  }

  @Test
  void anOutageLeavesTheRevocationUntilDenyUntilTheOutboxGivesUp() throws Exception {
    AuditTables.await(session(GRANT, "alice", PROD));
    RevocationListener listener = listener(0);
    iam.failNext(
        FakeIam.Failure.SERVER_ERROR, FakeIam.Failure.SERVER_ERROR, FakeIam.Failure.SERVER_ERROR);

    Throwable failure = AuditTables.failure(listener.deliver(revoked(), FIRST));

    assertThat(((MintException) failure).retryable()).isTrue();
    assertThat(progress()).startsWith("until_deny aws " + PROD + " 1 false retrying: ");
    assertThat(failedAlarms).as("retrying soon may help: no alarm yet").isEmpty();

    AuditTables.await(listener.failed(revoked(), FIRST, "IAM is down", false));
    assertThat(progress()).startsWith("until_deny aws " + PROD + " 1 false retrying: ");
    AuditTables.await(listener.failed(revoked(), new Delivery(7, 9), "IAM is down", true));

    assertThat(progress())
        .isEqualTo("failed aws " + PROD + " 1 false IAM is down; the outbox gave up");
    assertThat(failedAlarms).containsExactly(GRANT + " " + REQUEST);
    assertThat(events("grant.revocation_failed", "reason || ' ' || (details->>'attempt')"))
        .containsExactly(
            "IAM is down; retrying 1",
            "IAM is down; giving up, apply the deny by hand or retry it (stint admin outbox) 9");
    assertThat(events("grant.revocation_failed", "outcome")).containsOnly("error");
  }

  @Test
  void aRevocationTheOutboxGivesUpOnAfterItWasDeniedStaysDenied() throws Exception {
    AuditTables.await(session(GRANT, "alice", PROD));
    RevocationListener listener = listener(0);
    AuditTables.await(listener.deliver(revoked(), FIRST));

    AuditTables.await(listener.failed(revoked(), FIRST, "the audit write failed", true));

    assertThat(progress()).isEqualTo("denied aws " + PROD + " 1 false -");
    assertThat(failedAlarms).isEmpty();
    assertThat(denied("prod", GRANT, "alice", now)).isTrue();
  }

  /**
   * Revoked grants of other people fill the role's inline policy: the deny widens to a cutoff that
   * ends every stint session issued on the role before it, and the holders of the live ones it cut
   * are told; the event names at most fifty of their grants and counts them all.
   */
  @Test
  void aRoleTooFullToNameTheGrantWidensToACutoffAndTellsThoseItCut() throws Exception {
    othersRevoked(400, "person", false);
    List<Future<Void>> live = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      live.add(session(String.format("grt_liveliveli%04d", i), "carol" + i, PROD));
    }
    AuditTables.await(Future.all(live));
    AuditTables.await(session(GRANT, "alice", PROD));

    AuditTables.await(listener(0).deliver(revoked(), FIRST));

    assertThat(denied("prod", GRANT, "alice", now)).isTrue();
    assertThat(denied("prod", "grt_liveliveli0001", "carol1", now))
        .as("another person's live session issued before the cutoff")
        .isTrue();
    assertThat(denied("prod", "grt_liveliveli0001", "carol1", Instant.now().plusSeconds(60)))
        .as("a session issued after the cutoff")
        .isFalse();
    assertThat(progress()).isEqualTo("denied aws " + PROD + " 1 true -");
    assertThat(events("grant.revocation_applied", "reason"))
        .containsExactly(
            "deny statement in place on 1 role(s), widened to a cutoff where it did not fit");
    assertThat(
            events(
                "grant.revocation_widened",
                "grant_id || ' ' || target || ' ' || cloud || ' ' || (details->>'cut_credentials')"
                    + " || ' ' || (details->>'cut_grants')"
                    + " || ' ' || jsonb_array_length(details->'cut_grant_ids')"
                    + " || ' ' || jsonb_array_length(details->'cut_people')"))
        .containsExactly(GRANT + " " + PROD + " aws 60 60 50 50");
    assertThat(widenedAlarms).containsExactly(GRANT + " " + PROD + " 60");
    assertThat(told).containsExactly(PROD + " 60");
  }

  /**
   * One person's revoked grants fill the role: theirs collapse to a cutoff of their own, so the
   * grant is still denied by name and nobody else's session is cut.
   */
  @Test
  void onePersonFillingTheRoleCollapsesToTheirOwnCutoffAndNobodyElseIsCut() throws Exception {
    othersRevoked(400, "mallory", true);
    AuditTables.await(session("grt_malloryslive1", "mallory", PROD));
    AuditTables.await(session("grt_bobslivegrant", "bob", PROD));
    AuditTables.await(session(GRANT, "alice", PROD));

    AuditTables.await(listener(0).deliver(revoked(), FIRST));

    assertThat(denied("prod", GRANT, "alice", now)).isTrue();
    assertThat(denied("prod", "grt_bobslivegrant", "bob", now)).as("bob's live session").isFalse();
    assertThat(denied("prod", "grt_malloryslive1", "mallory", now))
        .as("mallory's own live session, issued before her cutoff")
        .isTrue();
    assertThat(progress()).isEqualTo("denied aws " + PROD + " 1 false -");
    assertThat(
            events(
                "grant.revocation_collapsed",
                "grant_id || ' ' || target || ' ' || (details->>'cut_credentials')"
                    + " || ' ' || (details->'cut_grant_ids'->>0)"))
        .containsExactly(GRANT + " " + PROD + " 1 grt_malloryslive1");
    assertThat(events("grant.revocation_widened", "grant_id")).isEmpty();
    assertThat(widenedAlarms).isEmpty();
    assertThat(told).containsExactly(PROD + " 1");
  }

  @Test
  void onlyARevokedGrantIsDeliveredAndRowsOfEarlierReleasesAreReadNeverWritten() {
    RevocationListener listener = listener(0);
    Change revoked = revoked();
    Change approved =
        new Change("grant.approved", revoked.request(), Requests.ALICE, Optional.empty(), now);
    Change noGrant =
        new Change(
            "grant.revoked",
            Requests.approved(REQUEST).profile("prod").build(),
            Requests.ALICE,
            Optional.empty(),
            now);

    assertThat(listener.name()).isEqualTo(RevocationListener.NAME);
    assertThat(listener.wants(revoked)).isTrue();
    assertThat(listener.wants(approved)).isFalse();
    assertThat(listener.wants(noGrant)).isFalse();
    assertThat(listener.audits()).isTrue();
    RevocationListener earlier = listener.forEarlierRows();
    assertThat(earlier.name()).isEqualTo(RevocationListener.EARLIER_NAME);
    assertThat(earlier.wants(revoked)).as("never written any more").isFalse();
  }

  private RevocationStatus status() {
    return new RevocationStatus(new LedgerReach(new Ledger(db.pool())), db.pool());
  }

  /** What the API and the pages show of a revocation as its delivery records it. */
  @Test
  void theStatusFollowsTheRecordedProgressThroughRetryFailureAndDenial() throws Exception {
    AuditTables.await(session(GRANT, "alice", PROD));
    Grant grant = revoked().request().grant().orElseThrow();
    RevocationStatus status = status();
    RevocationListener listener = listener(0);
    iam.failNext(
        FakeIam.Failure.SERVER_ERROR, FakeIam.Failure.SERVER_ERROR, FakeIam.Failure.SERVER_ERROR);
    AuditTables.failure(listener.deliver(revoked(), FIRST));

    RevocationStatus.Status retrying = AuditTables.await(status.of(grant, now, Instant.now()));
    assertThat(retrying.stage()).isEqualTo(dev.stint.ledger.RevocationReach.Live.UNTIL_DENY);
    assertThat(retrying.note()).contains(" Last attempt: retrying: ");
    assertThat(retrying.cloud()).contains("aws");
    assertThat(retrying.roles()).containsExactly(PROD);
    assertThat(retrying.credentials()).isEqualTo(1);

    AuditTables.await(listener.failed(revoked(), FIRST, "IAM is down", true));
    RevocationStatus.Status failed = AuditTables.await(status.of(grant, now, Instant.now()));
    assertThat(failed.stage()).isEqualTo(dev.stint.ledger.RevocationReach.Live.FAILED);
    assertThat(failed.note())
        .startsWith("The deny could not be written (IAM is down; the outbox gave up): AWS");

    AuditTables.await(listener.deliver(revoked(), new Delivery(7, 2)));
    RevocationStatus.Status denied = AuditTables.await(status.of(grant, now, Instant.now()));
    assertThat(denied.stage()).isEqualTo(dev.stint.ledger.RevocationReach.Live.DENIED);
    assertThat(denied.widened()).isFalse();
    assertThat(denied.note())
        .startsWith("AWS sessions issued on this grant are denied on 1 role(s) since ")
        .doesNotContain("widened");
    assertThat(denied.latestExpiry()).contains(now.plusSeconds(900));
  }
}
