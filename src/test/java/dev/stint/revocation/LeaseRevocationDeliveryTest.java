package dev.stint.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.Grant;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.access.RequestListener.Change;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.lease.Leases;
import dev.stint.ledger.LedgerEntry;
import dev.stint.ledger.LedgerRows;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A task lease's revocation delivered against the real migrations and ledger and AWS's real revoker
 * writing to the strict IAM stand-in, as {@link RevocationDeliveryTest} delivers a grant's: when
 * the lease's deny does not fit the role, the widening or a person's collapse is recorded, alarmed
 * and told exactly as a grant's revocation's would be, naming the lease.
 */
class LeaseRevocationDeliveryTest {
  static final String ISSUER = RevocationDeliveryTest.ISSUER;
  static final String PROD = RevocationDeliveryTest.PROD;
  static final String GRANT = "grt_leasesgrant001";
  static final String REQUEST = "req_leasesgrant001";
  static final String LEASE = "lse_abcdefghijklmnopqrstuvwx";
  static final Delivery FIRST = new Delivery(9, 1);

  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final FakeSts sts = new FakeSts();
  private final FakeIam iam = new FakeIam().createRole("prod").createRole("audit").signedBy(sts);
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final List<String> widenedAlarms = new CopyOnWriteArrayList<>();
  private final List<String> told = new CopyOnWriteArrayList<>();
  private DatabaseUrl url;
  private Vertx vertx;
  private AwsClients clients;
  private GroupCommitAuditLog audit;
  private Database db;
  private int keys;

  @BeforeEach
  void setUp() throws Exception {
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
    revokedLease();
  }

  @AfterEach
  void tearDown() throws Exception {
    clients.close();
    iam.close();
    sts.close();
    executor.shutdownNow();
    AuditTables.await(vertx.close());
  }

  /** Alice's grant on prod, and her lease of it, revoked (the lease's revoke committed). */
  private void revokedLease() throws Exception {
    AuditTables.execute(
        TestPostgres.asSuperuser(url),
        "INSERT INTO access_requests (id, profile, requester_issuer, requester_subject, reason,"
            + " duration_seconds, break_glass, approvals_required, state, created_at, updated_at,"
            + " version) VALUES ('"
            + REQUEST
            + "', 'prod', '"
            + ISSUER
            + "', 'alice', 'INC-1', 3600, false, 0, 'approved', now(), now(), 1);"
            + " INSERT INTO grants (id, request_id, profile, principal_issuer, principal_subject,"
            + " starts_at, ends_at, break_glass, created_at) VALUES ('"
            + GRANT
            + "', '"
            + REQUEST
            + "', 'prod', '"
            + ISSUER
            + "', 'alice', now(), now() + interval '1 hour', false, now());"
            + " INSERT INTO leases (id, request_id, grant_id, profile, holder_issuer,"
            + " holder_subject, task, created_at, expires_at, state, token_sha256, ended_at,"
            + " ended_by_issuer, ended_by_subject) VALUES ('"
            + LEASE
            + "', '"
            + REQUEST
            + "', '"
            + GRANT
            + "', 'prod', '"
            + ISSUER
            + "', 'alice', 'agent run', now(), now() + interval '30 minutes', 'revoked',"
            + " 'feed', now(), '"
            + ISSUER
            + "', 'alice')");
  }

  private LeaseRevocationListener listener() {
    Clock clock = Clock.systemUTC();
    SessionRevoker revoker =
        new AwsSessionRevoker(vertx, new AwsRevocations(clients, executor, clock, 0), clock);
    return new LeaseRevocationListener(
        db.pool(),
        Leases.revokedLeases(db.pool()),
        new Minters(List.of(RevocationDeliveryTest.aws(revoker))),
        new Reporting(
            audit,
            d -> {},
            new Reporting.Alarm() {
              @Override
              public void revocationFailed(String grantId, String requestId, String why) {}

              @Override
              public void revocationWidened(String grantId, String target, long others) {
                widenedAlarms.add(grantId + " " + target + " " + others);
              }
            },
            (grants, target) -> {
              told.add(target + " " + grants.size());
              return Future.succeededFuture();
            }),
        clock);
  }

  /** An AWS session on prod in the ledger: a grant's, or a lease's when {@code lease} is given. */
  private Future<Void> session(String grantId, String subject, Optional<String> lease) {
    int key = ++keys;
    String credentialId = String.format("crd_%s_%05d", subject, key);
    String requestId = grantId.equals(GRANT) ? REQUEST : "req_" + grantId.substring(4);
    LedgerEntry entry =
        new LedgerEntry(
            credentialId,
            lease
                .map(l -> LedgerEntry.Basis.lease(grantId, requestId, l))
                .orElseGet(() -> LedgerEntry.Basis.grant(grantId, requestId, Optional.empty())),
            new LedgerEntry.Holder(ISSUER, subject),
            "prod",
            Receipt.awsSession(
                PROD,
                String.format("ASIALEASED%010d", key),
                subject,
                SourceIdentities.of(ISSUER, subject, lease.orElse(grantId)),
                now.plusSeconds(900)));
    return audit
        .append(
            AuditEvent.builder("credential.issued")
                .grantId(grantId)
                .requestId(requestId)
                .detail("credential_id", credentialId)
                .build(),
            LedgerRows.issued(entry))
        .mapEmpty();
  }

  /** {@code n} other grants' sessions on prod, revoked earlier: each takes a deny. */
  private void othersRevoked(int n, String subjectPrefix, boolean samePerson) throws Exception {
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String subject = samePerson ? subjectPrefix : subjectPrefix + i;
      all.add(session(String.format("grt_otherrevokedgrant%08d", i), subject, Optional.empty()));
    }
    AuditTables.await(Future.all(all));
    AuditTables.execute(
        url, "UPDATE credentials SET state = 'revoked' WHERE grant_id LIKE 'grt_other%'");
  }

  /** The lease's session, marked revoked as the lease's revoke marked it. */
  private void leaseSession() throws Exception {
    AuditTables.await(session(GRANT, "alice", Optional.of(LEASE)));
    AuditTables.execute(
        url, "UPDATE credentials SET state = 'revoked' WHERE lease_id = '" + LEASE + "'");
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
        LeaseRevocationListener.EVENT,
        Requests.approved(REQUEST).profile("prod").grant(grant).build(),
        Requests.ALICE,
        Optional.empty(),
        now);
  }

  private boolean denied(String grantId, String subject, String source, Instant issuedAt) {
    return iam.denies(
        "prod",
        new Session(
            Map.of("stint:grant", grantId),
            Optional.of(SourceIdentities.of(ISSUER, subject, source)),
            issuedAt),
        Instant.now());
  }

  private List<String> events(String type, String column) throws Exception {
    return AuditTables.strings(
        url, "SELECT " + column + " FROM audit_events WHERE type = '" + type + "' ORDER BY seq");
  }

  /**
   * Other people's revoked grants fill the role: the lease's deny widens to a cutoff, recorded as
   * {@code grant.revocation_widened} naming the grant, its request and the lease, with the alarm,
   * and the holders of the live sessions it cut are told.
   */
  @Test
  void aLeaseRevokeOverflowingAFullRoleWidensRecordsRaisesTheAlarmAndTellsThoseItCut()
      throws Exception {
    othersRevoked(400, "person", false);
    List<Future<Void>> live = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      live.add(session(String.format("grt_liveliveli%04d", i), "carol" + i, Optional.empty()));
    }
    AuditTables.await(Future.all(live));
    leaseSession();

    AuditTables.await(listener().deliver(revoked(), FIRST));

    assertThat(denied(GRANT, "alice", LEASE, now)).as("the lease's session").isTrue();
    assertThat(denied("grt_liveliveli0001", "carol1", "grt_liveliveli0001", now))
        .as("another person's live session issued before the cutoff")
        .isTrue();
    assertThat(
            events(
                "grant.revocation_widened",
                "grant_id || ' ' || request_id || ' ' || target || ' ' || cloud"
                    + " || ' ' || (details->>'cut_credentials') || ' ' || (details->'lease_ids')"))
        .containsExactly(GRANT + " " + REQUEST + " " + PROD + " aws 60 [\"" + LEASE + "\"]");
    assertThat(widenedAlarms).containsExactly(GRANT + " " + PROD + " 60");
    assertThat(told).containsExactly(PROD + " 60");
    assertThat(events("lease.revocation_applied", "reason || ' ' || (details->>'widened')"))
        .containsExactly(
            "deny in place on 1 role(s), widened to a cutoff where it did not fit true");
  }

  /**
   * One person's revoked grants fill the role: the lease's revoke collapses them to a cutoff of
   * their own, recorded as {@code grant.revocation_collapsed} naming the lease, and that person is
   * told of their session it cut; nobody else's is cut and nothing is widened.
   */
  @Test
  void aLeaseRevokeOnARoleOnePersonFillsCollapsesThemAndTellsThem() throws Exception {
    othersRevoked(400, "mallory", true);
    AuditTables.await(session("grt_malloryslive1", "mallory", Optional.empty()));
    AuditTables.await(session("grt_bobslivegrant", "bob", Optional.empty()));
    leaseSession();

    AuditTables.await(listener().deliver(revoked(), FIRST));

    assertThat(denied(GRANT, "alice", LEASE, now)).as("the lease's session").isTrue();
    assertThat(denied("grt_bobslivegrant", "bob", "grt_bobslivegrant", now)).isFalse();
    assertThat(denied("grt_malloryslive1", "mallory", "grt_malloryslive1", now)).isTrue();
    assertThat(
            events(
                "grant.revocation_collapsed",
                "grant_id || ' ' || request_id || ' ' || target"
                    + " || ' ' || (details->>'cut_credentials')"
                    + " || ' ' || (details->'cut_grant_ids'->>0) || ' ' || (details->'lease_ids')"))
        .containsExactly(
            GRANT + " " + REQUEST + " " + PROD + " 1 grt_malloryslive1 [\"" + LEASE + "\"]");
    assertThat(events("grant.revocation_widened", "grant_id")).isEmpty();
    assertThat(widenedAlarms).isEmpty();
    assertThat(told).containsExactly(PROD + " 1");
    assertThat(events("lease.revocation_applied", "details->>'widened'")).containsExactly("false");
  }

  /**
   * A lease that minted no session a deny must reach asks nothing of IAM, though its grant has a
   * live session on the role: its revoke adds nothing to any role's deny.
   */
  @Test
  void aLeaseWithNoSessionToDenyAsksNothingOfIam() throws Exception {
    AuditTables.await(session(GRANT, "alice", Optional.empty()));

    AuditTables.await(listener().deliver(revoked(), FIRST));

    assertThat(iam.calls()).as("no call reached IAM").isEmpty();
    assertThat(events("lease.revocation_applied", "reason || ' ' || (details->'roles')"))
        .containsExactly("no session of the revoked lease a deny must reach: nothing written []");
  }
}
