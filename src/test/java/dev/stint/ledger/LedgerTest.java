package dev.stint.ledger;

import static dev.stint.testing.AuditTables.await;
import static dev.stint.testing.AuditTables.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.audit.AuditEvent;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.db.Migrations;
import dev.stint.mint.Receipt;
import dev.stint.mint.SessionRevoker;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ledger against the real migrations: a row commits with its {@code credential.issued} event or
 * not at all, and the reads revocation acts on see what was minted, where, and until when.
 */
class LedgerTest {
  private static final String ROLE = "arn:aws:iam::111122223333:role/prod-admin";
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
  private DatabaseUrl url;
  private Vertx vertx;
  private Database db;
  private GroupCommitAuditLog audit;
  private Ledger ledger;
  private RoleLedger roles;
  private DeniableSessions deniable;

  @BeforeEach
  void setUp() {
    url = TestPostgres.migratedDatabase();
    vertx = Vertx.vertx();
    db = Database.connect(vertx, url, 4);
    audit =
        new GroupCommitAuditLog(
            vertx, db.pool(), Clock.systemUTC(), new AuditConfig(Patience.AUDIT_COMMIT, 64));
    ledger = new Ledger(db.pool());
    roles = new RoleLedger(db.pool());
    deniable = new DeniableSessions(db.pool());
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  private static LedgerEntry entry(String id, String grant, String role, Instant expires) {
    return new LedgerEntry(
        id,
        LedgerEntry.Basis.grant(grant, "req_" + grant, Optional.empty()),
        new LedgerEntry.Holder("https://idp.example", "jane"),
        "prod",
        Receipt.awsSession(
            role,
            "ASIA" + id.toUpperCase(Locale.ROOT),
            "jane",
            "0123456789abcdef." + grant,
            expires));
  }

  private Future<?> issue(LedgerEntry e) {
    return audit.append(
        AuditEvent.builder("credential.issued")
            .grantId(e.basis().grantId().orElseThrow())
            .detail("credential_id", e.id())
            .build(),
        LedgerRows.issued(e));
  }

  @Test
  void aRowCommitsWithItsEventAndNeitherWithoutTheOther() throws Exception {
    await(issue(entry("crd_one", "grt_a", ROLE, now.plusSeconds(900))));

    // The same id again violates the ledger's key: the whole batch, event included, rolls back.
    Throwable refused = failure(issue(entry("crd_one", "grt_b", ROLE, now.plusSeconds(900))));

    assertThat(refused).isNotNull();
    assertThat(AuditTables.count(url, "type = 'credential.issued' AND grant_id = 'grt_b'"))
        .isZero();
    assertThat(AuditTables.strings(url, "SELECT grant_id || ' ' || event_id FROM credentials"))
        .singleElement()
        .satisfies(row -> assertThat(row).startsWith("grt_a "));
    assertThat(
            AuditTables.strings(
                url,
                "SELECT c.id FROM credentials c JOIN audit_events e"
                    + " ON e.event_id = c.event_id AND e.details->>'credential_id' = c.id"))
        .containsExactly("crd_one");
  }

  @Test
  void aBatchOfManyIssuancesIsOneTransactionWithOneLedgerStatement() throws Exception {
    List<Future<?>> all = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      all.add(issue(entry("crd_many" + i, "grt_many", ROLE, now.plusSeconds(900))));
    }
    await(Future.all(all));

    assertThat(await(ledger.ofGrant("grt_many")))
        .hasSize(50)
        .allSatisfy(c -> assertThat(c.stateAt(now)).isEqualTo(CredentialState.LIVE));
  }

  @Test
  void reachNamesWhereTheGrantsValidCredentialsWereMintedAndExpiredOnesDoNotCount()
      throws Exception {
    await(issue(entry("crd_r1", "grt_r", ROLE, now.plusSeconds(900))));
    await(issue(entry("crd_r2", "grt_r", ROLE + "-old", now.plusSeconds(1800))));
    await(issue(entry("crd_r3", "grt_r", ROLE + "-gone", now.minusSeconds(60))));

    assertThat(await(ledger.reach("grt_r", now)))
        .containsExactly(
            new Ledger.Reach("aws", ROLE, true, 1, now.plusSeconds(900)),
            new Ledger.Reach("aws", ROLE + "-old", true, 1, now.plusSeconds(1800)));
    assertThat(await(ledger.latestExpiry("grt_r"))).contains(now.plusSeconds(1800));
  }

  @Test
  void aTokenNoCloudCanEndIsReachedButNeverDeniableNorMarkedRevoked() throws Exception {
    String account = "deploy@proj.iam.gserviceaccount.com";
    await(issue(entry("crd_s1", "grt_mixed", ROLE, now.plusSeconds(900))));
    await(
        issue(
            new LedgerEntry(
                "crd_t1",
                LedgerEntry.Basis.grant("grt_mixed", "req_grt_mixed", Optional.empty()),
                new LedgerEntry.Holder("https://idp.example", "jane"),
                "gcp-prod",
                Receipt.token("gcp", account, "ya29.secret", now.plusSeconds(1200)))));

    assertThat(await(ledger.reach("grt_mixed", now)))
        .containsExactly(
            new Ledger.Reach("aws", ROLE, true, 1, now.plusSeconds(900)),
            new Ledger.Reach("gcp", account, false, 1, now.plusSeconds(1200)));
    assertThat(await(deniable.ofGrant("grt_mixed", now)))
        .extracting(Ledger.Reach::target)
        .containsExactly(ROLE);
    assertThat(await(ledger.markRevoked("grt_mixed", now))).isEqualTo(1);
    assertThat(await(ledger.ofGrant("grt_mixed")))
        .extracting(c -> c.entry().id() + " " + c.stateAt(now))
        .containsExactly("crd_s1 REVOKED", "crd_t1 LIVE");
  }

  @Test
  void aRevokedGrantIsDeniedByTagWhileItsSessionsLiveAndBySourceAnHourPastTheDeny()
      throws Exception {
    await(issue(entry("crd_v1", "grt_v", ROLE, now.plusSeconds(900))));
    await(issue(entry("crd_v2", "grt_v", ROLE, now.minusSeconds(30))));
    await(issue(entry("crd_v3", "grt_v", ROLE, now.minus(Ledger.CHAIN).minusSeconds(30))));

    // The one expired half a minute ago may have a chained session alive: it is reached too.
    assertThat(await(deniable.ofGrant("grt_v", now)))
        .singleElement()
        .satisfies(r -> assertThat(r.credentials()).isEqualTo(2));
    assertThat(await(ledger.markRevoked("grt_v", now))).isEqualTo(2);
    // Until the deny is confirmed, a session may be chained until its source expires.
    assertThat(await(roles.revokedOn(ROLE, now)))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.sessionsUntil()).isEqualTo(now.plusSeconds(900));
              assertThat(r.chainedUntil()).isEqualTo(now.plusSeconds(900).plus(Ledger.CHAIN));
            });
    Instant denied = now.plusSeconds(60);
    await(roles.confirmDenied(ROLE, denied));

    assertThat(await(roles.revokedOn(ROLE, now)))
        .singleElement()
        .satisfies(r -> assertThat(r.chainedUntil()).isEqualTo(denied.plus(Ledger.CHAIN)));
    Instant later = now.plusSeconds(1200);
    assertThat(await(roles.revokedOn(ROLE, later)))
        .singleElement()
        .satisfies(r -> assertThat(r.sessionsAlive(later)).isFalse());
    assertThat(await(roles.revokedOn(ROLE, denied.plus(Ledger.CHAIN).plusSeconds(1)))).isEmpty();
    assertThat(await(ledger.ofGrant("grt_v")))
        .extracting(c -> c.stateAt(now))
        .containsExactly(CredentialState.REVOKED, CredentialState.REVOKED, CredentialState.EXPIRED);
  }

  @Test
  void markingSessionsRevokedTakesPartInTheCallersTransaction() throws Exception {
    await(issue(entry("crd_t1", "grt_t", ROLE, now.plusSeconds(900))));

    await(
        db.pool()
            .withTransaction(
                conn ->
                    Ledger.markRevoked(conn, "grt_t", now)
                        .compose(x -> Future.failedFuture("rolled back")))
            .recover(e -> Future.succeededFuture()));
    assertThat(await(roles.revokedOn(ROLE, now))).isEmpty();

    await(db.pool().withTransaction(conn -> Ledger.markRevoked(conn, "grt_t", now)));
    assertThat(await(roles.revokedOn(ROLE, now)))
        .extracting(SessionRevoker.Revoked::grantId)
        .containsExactly("grt_t");
  }

  @Test
  void aCutoffCountsTheOtherLiveSessionsItCutsAndLastsAsLongAsTheRevokedOnes() throws Exception {
    await(issue(entry("crd_c1", "grt_c1", ROLE, now.plusSeconds(600))));
    await(issue(entry("crd_c2", "grt_c2", ROLE, now.plusSeconds(1200))));
    await(issue(entry("crd_c3", "grt_c3", ROLE + "-elsewhere", now.plusSeconds(1200))));
    await(ledger.markRevoked("grt_c1", now));
    await(roles.confirmDenied(ROLE, now));

    SessionRevoker.Cut cut =
        await(roles.cutBetween(ROLE, Optional.empty(), now, Instant.EPOCH, now.plusSeconds(10)));

    assertThat(cut.credentials()).isEqualTo(1);
    assertThat(cut.grants()).containsExactly("grt_c2");
    assertThat(cut.people()).hasSize(1);
    assertThat(await(ledger.ofGrant("grt_c2")).get(0).cut())
        .as("the ledger records the cut, for a client caching it")
        .contains(now);
    assertThat(await(ledger.ofGrant("grt_c1")).get(0).cut()).as("revoked, not cut").isEmpty();
    assertThat(
            await(
                roles.cutBetween(
                    ROLE, Optional.empty(), now, now.plusSeconds(5), now.plusSeconds(10))))
        .as("cut by an earlier cutoff already")
        .isEqualTo(new SessionRevoker.Cut(0, List.of()));
    assertThat(await(roles.revokedUntil(ROLE, now, now.plusSeconds(10))))
        .contains(now.plus(Ledger.CHAIN));
  }

  @Test
  void aWithheldCredentialIsNoLongerValidAnywhere() throws Exception {
    await(issue(entry("crd_w", "grt_w", ROLE, now.plusSeconds(900))));

    await(ledger.withhold("crd_w", now));

    assertThat(await(ledger.reach("grt_w", now))).isEmpty();
    assertThat(await(deniable.ofGrant("grt_w", now))).isEmpty();
    assertThat(await(ledger.latestExpiry("grt_w"))).isEmpty();
    assertThat(await(ledger.ofGrant("grt_w")))
        .singleElement()
        .satisfies(c -> assertThat(c.stateAt(now)).isEqualTo(CredentialState.WITHHELD));
  }

  /** A {@code credential.issued} as the release before the ledger wrote it: no credential_id. */
  private static AuditEvent earlierIssued(String grant, String role, Instant expires) {
    return AuditEvent.builder("credential.issued")
        .actor("https://idp.example", "jane", "jane@example.com")
        .requestId("req_" + grant)
        .grantId(grant)
        .profile("prod")
        .cloud("aws")
        .target(role)
        .outcome("ok")
        .reason("active grant")
        .detail(
            "credential",
            Map.of(
                "access_key_id",
                "ASIAEARLIER" + grant,
                "session_token_sha256",
                "sha256:" + "0".repeat(64),
                "expiration",
                expires.toString(),
                "sts_expiration",
                expires.toString()))
        .detail("valid_until", expires.toString())
        .build();
  }

  /**
   * The ledger's rows come through its own rows in the event's transaction alone: an event as the
   * release before the ledger wrote it (no {@code credential_id}), appended now, adds none. V20's
   * trigger read such events in during the upgrade to the ledger's release; V51 dropped it.
   */
  @Test
  void anEventNamingNoCredentialAddsNothingToTheLedger() throws Exception {
    await(audit.append(earlierIssued("grt_up", ROLE, now.plusSeconds(900))));

    assertThat(await(ledger.ofGrant("grt_up"))).isEmpty();
    assertThat(await(deniable.ofGrant("grt_up", now))).isEmpty();
  }

  @Test
  void theMigrationReadsCredentialsIssuedBeforeItIntoTheLedger() throws Exception {
    DatabaseUrl older = TestPostgres.emptyDatabase();
    DatabaseUrl owner = TestPostgres.asOwner(older);
    Flyway.configure()
        .dataSource(owner.jdbcUrl(), owner.user(), owner.password())
        .locations("classpath:db/migration")
        .target("19")
        .load()
        .migrate();
    try (Database old = Database.connect(vertx, older, 2)) {
      GroupCommitAuditLog before =
          new GroupCommitAuditLog(
              vertx, old.pool(), Clock.systemUTC(), new AuditConfig(Patience.AUDIT_COMMIT, 64));
      await(before.append(earlierIssued("grt_old", ROLE, now.plusSeconds(900))));
    }

    Migrations.migrate(owner);

    try (Database migrated = Database.connect(vertx, older, 2)) {
      assertThat(await(new DeniableSessions(migrated.pool()).ofGrant("grt_old", now)))
          .extracting(Ledger.Reach::target)
          .containsExactly(ROLE);
    }
  }

  /** A CI job's token, named by its token id, read back by its credential id as it was issued. */
  @Test
  void oneCredentialIsReadBackAsIssuedAndAnUnknownIdIsNothing() throws Exception {
    LedgerEntry ci =
        new LedgerEntry(
            "crd_ci1",
            LedgerEntry.Basis.ciRule("deploy-prod"),
            new LedgerEntry.Holder(
                "https://token.actions.githubusercontent.com", "repo:org/app:ref:refs/heads/main"),
            "deploy",
            Receipt.token("azure", "/subscriptions/s1", "eyJ.token.sig", now.plusSeconds(600))
                .withTokenId(new Receipt.TokenId("tid-1", Optional.of("tenant-1"), false)));
    await(
        audit.append(
            AuditEvent.builder("credential.issued").detail("credential_id", "crd_ci1").build(),
            LedgerRows.issued(ci)));

    LedgerCredential read = await(ledger.one("crd_ci1")).orElseThrow();

    assertThat(read.entry()).isEqualTo(ci);
    assertThat(read.entry().basis().grantId()).isEmpty();
    assertThat(read.stateAt(now).code()).as("as the API names it").isEqualTo("live");
    assertThat(await(ledger.one("crd_nobody"))).isEmpty();
  }

  @Test
  void credentialsAreReadByTheirIdsAndByTheAccessKeyTheCloudMintedThemWith() throws Exception {
    LedgerEntry first = entry("crd_k1", "grt_k", ROLE, now.plusSeconds(3600));
    LedgerEntry second = entry("crd_k2", "grt_k", ROLE, now.plusSeconds(3600));
    await(issue(first));
    await(issue(second));

    assertThat(await(ledger.some(List.of("crd_k2", "crd_k1", "crd_unknown"))))
        .extracting(LedgerCredential::entry)
        .as("the known ones, the unknown id skipped")
        .containsExactlyInAnyOrder(first, second);
    assertThat(await(ledger.ofKey("aws", "ASIACRD_K2")))
        .extracting(LedgerCredential::entry)
        .containsExactly(second);
    assertThat(await(ledger.ofKey("azure", "ASIACRD_K2"))).as("another cloud's key").isEmpty();
    assertThat(await(ledger.ofKey("aws", "ASIAUNKNOWN"))).isEmpty();
  }

  @Test
  void aCredentialIsIssuedOnAGrantOrACiRuleNeverOnNothing() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new LedgerEntry.Basis(Optional.empty(), Optional.of("req_x"), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(LedgerEntry.Basis.ciRule("deploy").ciRule()).contains("deploy");
  }
}
