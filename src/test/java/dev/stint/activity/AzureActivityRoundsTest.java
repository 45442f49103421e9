package dev.stint.activity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessUseCases;
import dev.stint.access.Caller;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig;
import dev.stint.db.Database;
import dev.stint.identity.Principal;
import dev.stint.issuance.CredentialAsk;
import dev.stint.issuance.Issuance;
import dev.stint.issuance.IssuanceChannel;
import dev.stint.issuance.Issued;
import dev.stint.issuance.ReplayGuard;
import dev.stint.ledger.Ledger;
import dev.stint.mint.AccessToken;
import dev.stint.mint.ActivityLookup;
import dev.stint.mint.Minters;
import dev.stint.mint.azure.AzureActivity;
import dev.stint.mint.azure.AzureActivitySettings;
import dev.stint.mint.azure.AzureMinter;
import dev.stint.mint.azure.AzureSettings;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.PolicyLoader;
import dev.stint.signing.TokenSigner;
import dev.stint.standin.ActivityLogEvent;
import dev.stint.standin.ActivityLogStandIn;
import dev.stint.testing.AuditTables;
import dev.stint.testing.FakeEntra;
import dev.stint.testing.Patience;
import dev.stint.testing.RsaKeys;
import dev.stint.testing.ShiftedClock;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestTls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Azure activity per grant from the mint to the request's activity: the real issuance, ledger and
 * migrations, stint's own signer, the real azure-identity against the HTTPS Entra fake, and the
 * Activity Log stand-in read by {@link AzureActivity} in {@link ActivityRounds}. A token for
 * Resource Manager gets a lookup that finds its own operations only; a token for another resource,
 * an opaque token, or any token while no reader is configured gets none; once the grant has ended
 * and its token settled, the summary goes into the audit as {@code grant.activity}.
 */
class AzureActivityRoundsTest {
  static final String TENANT = "11111111-2222-3333-4444-555555555555";
  static final String APP = "66666666-7777-8888-9999-000000000000";
  static final String READER = "bbbbbbbb-cccc-dddd-eeee-ffffffffffff";
  static final String SUB = "00000000-1111-2222-3333-444444444444";
  static final String VM =
      "/subscriptions/"
          + SUB
          + "/resourceGroups/prod/providers/Microsoft.Compute/virtualMachines/vm1";
  static final String POLICY =
      """
      issuers:
        corp: {issuer: "https://idp.example.com", audience: stint}
      profiles:
        azure-arm:
          azure: {tenant_id: %1$s, client_id: %2$s, scope: "https://management.azure.com/.default", allow_lifetime_overrun: true}
          max_duration: 1h
          requesters: 'true'
          approval: {count: 1, approvers: 'false', auto_approve: 'true'}
        azure-storage:
          azure: {tenant_id: %1$s, client_id: %2$s, scope: "https://storage.azure.com/.default", allow_lifetime_overrun: true}
          max_duration: 1h
          requesters: 'true'
          approval: {count: 1, approvers: 'false', auto_approve: 'true'}
      """
          .formatted(TENANT, APP);

  static Vertx vertx;
  static DatabaseUrl db;
  static Database pool;
  static TestTls tls;
  static FakeEntra entra;
  static ActivityLogStandIn log;
  static ExecutorService cloudCalls;
  static AzureActivity activity;
  static Issuance withReader;
  static Issuance withoutReader;
  static GrantActivity view;
  static ActivityRounds rounds;
  static ActivityRounds.Needs needs;
  static Map<String, ActivityLookup> lookups;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    vertx = Vertx.vertx();
    db = TestPostgres.migratedDatabase();
    pool = Database.connect(vertx, db, 4);
    tls = TestTls.create();
    entra = new FakeEntra(tls).expiresIn(3600);
    log = new ActivityLogStandIn(Clock.systemUTC(), TENANT, entra.publicKeys()).allow(SUB, READER);
    Files.createDirectories(dir.resolve("policies"));
    Files.writeString(dir.resolve("policies/p.yaml"), POLICY);
    PolicyInForce policies = new PolicyInForce(new PolicyLoader().load(dir.resolve("policies")));
    TokenSigner signer =
        new TokenSigner(
            URI.create("https://stint.example.com"),
            RsaKeys.developmentKeyIn(dir.resolve("data")),
            Clock.systemUTC());
    var audit =
        new GroupCommitAuditLog(
            vertx,
            pool.pool(),
            Clock.systemUTC(),
            new StintConfig.AuditConfig(Patience.AUDIT_COMMIT, 64));
    AccessUseCases access =
        new AccessUseCases(
            new AccessUseCases.Footing(pool.pool(), pool.pipelined()),
            policies,
            audit,
            Clock.systemUTC());
    cloudCalls = Executors.newFixedThreadPool(4);
    AzureSettings azure =
        new AzureSettings(entra.uri(), Duration.ofSeconds(10), 0, Optional.of(tls.clientContext()));
    AzureMinter minter = new AzureMinter(azure, signer::sign, cloudCalls, Clock.systemUTC());
    activity =
        new AzureActivity(
            new AzureActivitySettings(TENANT, READER, List.of(SUB), log.uri()),
            azure,
            signer::sign,
            Clock.systemUTC(),
            Duration.ZERO);
    Issuance.Records records =
        new Issuance.Records(audit, new Ledger(pool.pool()), Clock.systemUTC());
    Minters minters = new Minters(List.of(minter.reading(Optional.of(activity))));
    withReader =
        new Issuance(
            access.grants(),
            policies,
            minters,
            new ReplayGuard(pool.pool()),
            records,
            new SimpleMeterRegistry());
    withoutReader =
        new Issuance(
            access.grants(),
            policies,
            new Minters(List.of(minter)),
            new ReplayGuard(pool.pool()),
            records,
            new SimpleMeterRegistry());
    view = new GrantActivity(pool.pool(), new Ledger(pool.pool()), Visibility.Push.OFF);
    needs =
        new ActivityRounds.Needs(
            access::grantEnd,
            audit,
            new RoleWatch(view, Set::of, audit, (r, c, d) -> {}, Clock.systemUTC()),
            new ActivityAnomalies(view, audit, (e, d) -> {}, Clock.systemUTC()));
    lookups = minters.activity();
    rounds = rounds(Clock.systemUTC());
  }

  /** The rounds as a replica runs them, at {@code clock}'s time. */
  static ActivityRounds rounds(Clock clock) {
    return new ActivityRounds(
        vertx,
        view,
        lookups,
        new ActivityRounds.Settings(Duration.ofMinutes(5), Duration.ofMinutes(15)),
        needs,
        clock);
  }

  /**
   * Tests that make the log's pages small, or fill it, leave the next test a log of its own size.
   */
  @AfterEach
  void pagesAsAzureGivesThem() {
    log.pageSize(200);
  }

  @AfterAll
  static void stop() throws Exception {
    activity.close();
    log.close();
    entra.close();
    cloudCalls.shutdownNow();
    pool.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  static Issued issue(Issuance issuance, String user, String profile) throws Exception {
    Principal p =
        new Principal(
            "corp",
            "https://idp.example.com",
            user,
            Optional.of(user + "@example.com"),
            List.of(),
            Map.of(),
            Instant.now().plus(Duration.ofHours(1)),
            Optional.empty());
    Caller caller = new Caller(p, Optional.of("127.0.0.1"), Optional.of("test"));
    return AuditTables.await(
        issuance
            .issue(
                new CredentialAsk(caller, profile, Optional.empty(), IssuanceChannel.CREDENTIALS))
            .map(o -> ((Issuance.Outcome.Minted) o).issued()));
  }

  static String uti(Issued issued) {
    return FakeEntra.claims(((AccessToken) issued.credential()).token()).path("uti").asText();
  }

  static String ledger(Issued issued, String column) throws Exception {
    return AuditTables.strings(
            db, "SELECT " + column + " FROM credentials WHERE id = '" + issued.credentialId() + "'")
        .get(0);
  }

  static long lookups(Issued issued) throws Exception {
    return Long.parseLong(
        AuditTables.strings(
                db,
                "SELECT count(*) FROM activity_lookups WHERE credential_id = '"
                    + issued.credentialId()
                    + "'")
            .get(0));
  }

  static void operation(String uti, String name, String status, String sub) {
    ActivityLogEvent.Builder op =
        ActivityLogEvent.builder(SUB, VM, name)
            .time(Instant.now().minus(Duration.ofMinutes(1)))
            .status(status, sub)
            .token(uti, APP, TENANT, "0000aaaa-0000-0000-0000-000000000001");
    log.record(op.started());
    log.record(op.build());
  }

  @Test
  void anArmTokensOwnTwoOperationsShowOnItsRequestAfterARound() throws Exception {
    Issued issued = issue(withReader, "ana", "azure-arm");
    String uti = uti(issued);
    String request = ledger(issued, "request_id");
    assertThat(ledger(issued, "token_id")).isEqualTo(uti);
    assertThat(ledger(issued, "token_tenant")).isEqualTo(TENANT);
    assertThat(ledger(issued, "token_looked_up")).isEqualTo("t");
    assertThat(
            AuditTables.strings(
                db,
                "SELECT cloud || ' ' || access_key_id FROM activity_lookups WHERE credential_id = '"
                    + issued.credentialId()
                    + "'"))
        .containsExactly("azure " + uti);
    assertThat(AuditTables.rowsAsText(db))
        .anyMatch(
            row ->
                row.contains("credential.issued") && row.contains("token_id") && row.contains(uti));
    operation(uti, "Microsoft.Compute/virtualMachines/write", "Succeeded", "Created");
    operation(uti, "Microsoft.Compute/virtualMachines/delete", "Failed", "Forbidden");
    operation(
        "anotherTokensUti0000000", "Microsoft.Compute/virtualMachines/write", "Succeeded", "OK");

    AuditTables.await(rounds.round());

    GrantActivity.View seen = AuditTables.await(view.of(request, Optional.empty()));
    assertThat(seen.events())
        .extracting(ActivityEvent::eventName)
        .containsExactlyInAnyOrder(
            "Microsoft.Compute/virtualMachines/write", "Microsoft.Compute/virtualMachines/delete");
    assertThat(seen.events()).allMatch(e -> e.credentialId().equals(issued.credentialId()));
    assertThat(seen.events()).allMatch(e -> e.accessKeyId().isEmpty());
    assertThat(seen.events()).allMatch(e -> e.region().equals(SUB));
    assertThat(seen.summary().calls()).isEqualTo(2);
    assertThat(seen.summary().errors()).isEqualTo(1);
    assertThat(seen.summary().services()).containsEntry("Microsoft.Compute", 2L);
    assertThat(seen.sources())
        .extracting(GrantActivity.Source::name)
        .containsExactly(GrantActivity.AZURE_LOOKUP);
    assertThat(seen.sources().get(0).checkedAt()).isPresent();
  }

  @Test
  void aLookupThrottledPastItsTriesIsDueAgainAndFindsTheCallsThen() throws Exception {
    Issued issued = issue(withReader, "ben", "azure-arm");
    String uti = uti(issued);
    String request = ledger(issued, "request_id");
    operation(uti, "Microsoft.Network/networkSecurityGroups/write", "Succeeded", "OK");
    log.throttle(AzureActivity.THROTTLED_TRIES + 1, Duration.ZERO);

    AuditTables.await(rounds.round());

    String where = " FROM activity_lookups WHERE credential_id = '" + issued.credentialId() + "'";
    assertThat(AuditTables.strings(db, "SELECT failures" + where)).containsExactly("1");
    assertThat(AuditTables.strings(db, "SELECT checked_at IS NULL" + where)).containsExactly("t");
    assertThat(AuditTables.await(view.of(request, Optional.empty())).events()).isEmpty();
    AuditTables.execute(
        TestPostgres.asSuperuser(db),
        "UPDATE activity_lookups SET next_at = now() WHERE credential_id = '"
            + issued.credentialId()
            + "'");

    AuditTables.await(rounds.round());

    assertThat(AuditTables.await(view.of(request, Optional.empty())).events()).hasSize(1);
    assertThat(AuditTables.strings(db, "SELECT failures" + where)).containsExactly("0");
  }

  @Test
  void aTokenForAnotherResourceIsRecordedButNotLookedUp() throws Exception {
    Issued issued = issue(withReader, "cai", "azure-storage");
    assertThat(ledger(issued, "token_id")).isEqualTo(uti(issued));
    assertThat(ledger(issued, "token_looked_up")).isEqualTo("f");
    assertThat(lookups(issued)).isZero();
  }

  @Test
  void withoutTheReaderNoAzureTokenIsLookedUp() throws Exception {
    Issued issued = issue(withoutReader, "dee", "azure-arm");
    assertThat(ledger(issued, "token_id")).isEqualTo(uti(issued));
    assertThat(ledger(issued, "token_looked_up")).isEqualTo("f");
    assertThat(lookups(issued)).isZero();
  }

  @Test
  void anOpaqueTokenIsRecordedByItsFingerprintAloneAndNotLookedUp() throws Exception {
    entra.opaqueTokens(true);
    try {
      Issued issued = issue(withReader, "eve", "azure-arm");
      assertThat(ledger(issued, "token_id IS NULL")).isEqualTo("t");
      assertThat(ledger(issued, "fingerprint IS NOT NULL")).isEqualTo("t");
      assertThat(lookups(issued)).isZero();
    } finally {
      entra.opaqueTokens(false);
    }
  }

  @Test
  void anAzureGrantIsSummedUpInTheAuditOnceItHasEndedAndItsTokenSettled() throws Exception {
    Issued issued = issue(withReader, "fay", "azure-arm");
    String request = ledger(issued, "request_id");
    operation(uti(issued), "Microsoft.Resources/deployments/write", "Succeeded", "Created");
    ShiftedClock later = new ShiftedClock();
    later.advance(Duration.ofHours(3));

    AuditTables.await(rounds(later).round());

    String where = "type = 'grant.activity' AND request_id = '" + request + "'";
    assertThat(AuditTables.count(db, where)).isEqualTo(1);
    assertThat(AuditTables.strings(db, "SELECT details::text FROM audit_events WHERE " + where))
        .singleElement()
        .satisfies(
            d ->
                assertThat(d)
                    .contains(
                        "\"calls\": 1",
                        "\"Microsoft.Resources\": 1",
                        "\"looked_up\": 0",
                        "\"calls_unknown\": true"));
  }

  static final String OTHER_SUB = "99999999-1111-2222-3333-444444444444";

  static String grantActivity(String request) throws Exception {
    return AuditTables.strings(
            db,
            "SELECT details::text FROM audit_events WHERE type = 'grant.activity' AND request_id = '"
                + request
                + "'")
        .get(0);
  }

  /**
   * (long-running operation dropped): only Succeeded/Failed/Canceled events are kept. An operation
   * Resource Manager accepted (201/202, status Accepted) whose outcome is logged after the token's
   * last lookup (a deployment running past expiry + settle) is never counted, though the
   * Started/Accepted events prove the token made the call: grant.activity says the grant was not
   * used.
   */
  @Test
  void anOperationStillRunningAtTheLastLookupCountsAsAUse() throws Exception {
    Issued issued = issue(withReader, "gus", "azure-arm");
    String request = ledger(issued, "request_id");
    ActivityLogEvent.Builder op =
        ActivityLogEvent.builder(SUB, VM, "Microsoft.Resources/deployments/write")
            .time(Instant.now().minus(Duration.ofMinutes(1)))
            .status("Accepted", "Created")
            .token(uti(issued), APP, TENANT, "0000aaaa-0000-0000-0000-000000000001");
    log.record(op.started());
    log.record(op.build());
    ShiftedClock later = new ShiftedClock();
    later.advance(Duration.ofHours(3));

    AuditTables.await(rounds(later).round());

    assertThat(grantActivity(request)).doesNotContain("\"unused\": true").contains("\"calls\": 1");
  }

  /**
   * (false "not used"): token_looked_up is decided by the token's scope alone. An ARM token can act
   * on every subscription its app has a role on, but only azure.activity.subscriptions are read
   * (and reads, GETs, are never in the Activity Log). A token used only elsewhere is summed up as
   * "the grant was not used" with calls_unknown false: the audit states non-use where stint could
   * not see.
   */
  @Test
  void anArmTokenUsedOutsideTheReadSubscriptionsIsNotRecordedAsUnused() throws Exception {
    Issued issued = issue(withReader, "hal", "azure-arm");
    String request = ledger(issued, "request_id");
    ActivityLogEvent.Builder op =
        ActivityLogEvent.builder(
                OTHER_SUB,
                "/subscriptions/"
                    + OTHER_SUB
                    + "/resourceGroups/x/providers/Microsoft.Authorization/roleAssignments/r1",
                "Microsoft.Authorization/roleAssignments/write")
            .time(Instant.now().minus(Duration.ofMinutes(1)))
            .token(uti(issued), APP, TENANT, "0000aaaa-0000-0000-0000-000000000001");
    log.record(op.started());
    log.record(op.build());
    ShiftedClock later = new ShiftedClock();
    later.advance(Duration.ofHours(3));

    AuditTables.await(rounds(later).round());

    assertThat(grantActivity(request)).contains("\"calls_unknown\": true");
  }

  /**
   * (uti taken on trust, not unique): the uti is read from the unverified payload of the token the
   * authority returned, and the ledger takes a second credential naming a uti already recorded for
   * another grant. Both then match the same Activity Log events, and each event is kept under
   * whichever lookup reads it first (activity_events ON CONFLICT (event_id) DO NOTHING): one
   * grant's operations can be shown on, and summed up for, another. A token_id should be unique in
   * the ledger (and its tid/appid checked against the app minted on).
   */
  @Test
  void aSecondCredentialNamingAnAlreadyRecordedUtiIsRefused() throws Exception {
    Issued issued = issue(withReader, "ida", "azure-arm");
    String uti = uti(issued);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                AuditTables.execute(
                    db,
                    "INSERT INTO credentials (id, event_id, grant_id, request_id, holder_issuer,"
                        + " holder_subject, profile, cloud, target, fingerprint, revocable,"
                        + " issued_at, expires_at, token_id, token_tenant, token_looked_up)"
                        + " SELECT 'crd_dup', gen_random_uuid(), 'grt_other', 'req_other',"
                        + " holder_issuer, 'mallory', profile, cloud, target, 'ffffffffffffffff',"
                        + " revocable, issued_at, expires_at, token_id, token_tenant, true"
                        + " FROM credentials WHERE token_id = '"
                        + uti
                        + "'"))
        .isInstanceOf(java.sql.SQLException.class);
  }

  /**
   * (page cap, end to end): more than MAX_PAGES pages of events logged after the token's operation
   * (here 101 pages of 2) make its lookup fail; a failed lookup keeps its window's start, so every
   * later lookup fails the same way: the credential never settles and the grant is never summed up
   * in the audit, nor is its operation ever kept. Runs last: it floods the shared log.
   */
  @Test
  @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
  void aFloodAfterTheTokensOperationDoesNotKeepTheGrantFromBeingSummedUp() throws Exception {
    Issued issued = issue(withReader, "joe", "azure-arm");
    String request = ledger(issued, "request_id");
    AuditTables.execute(
        TestPostgres.asSuperuser(db),
        "UPDATE activity_lookups SET settled_at = now() WHERE credential_id <> '"
            + issued.credentialId()
            + "'");
    ActivityLogEvent.Builder mine =
        ActivityLogEvent.builder(SUB, VM, "Microsoft.Authorization/roleAssignments/write")
            .time(Instant.now().minus(Duration.ofMinutes(3)))
            .token(uti(issued), APP, TENANT, "0000aaaa-0000-0000-0000-000000000001");
    log.record(mine.started());
    log.record(mine.build());
    for (int i = 0; i < 101; i++) {
      ActivityLogEvent.Builder noise =
          ActivityLogEvent.builder(SUB, VM, "Microsoft.Resources/tags/write")
              .time(Instant.now().minus(Duration.ofSeconds(120 - i)))
              .token("noise" + i, APP, TENANT, "0000aaaa-0000-0000-0000-000000000001");
      log.record(noise.started());
      log.record(noise.build());
    }
    log.pageSize(2);
    ShiftedClock later = new ShiftedClock();
    later.advance(Duration.ofHours(3));

    AuditTables.await(rounds(later).round());
    AuditTables.execute(
        TestPostgres.asSuperuser(db),
        "UPDATE activity_lookups SET next_at = now() WHERE credential_id = '"
            + issued.credentialId()
            + "'");
    later.advance(Duration.ofHours(1));
    AuditTables.await(rounds(later).round());

    assertThat(
            AuditTables.strings(
                db,
                "SELECT failures FROM activity_lookups WHERE credential_id = '"
                    + issued.credentialId()
                    + "'"))
        .containsExactly("0");
    assertThat(AuditTables.count(db, "type = 'grant.activity' AND request_id = '" + request + "'"))
        .isEqualTo(1);
  }
}
