package dev.stint.ledger;

import static dev.stint.testing.AuditTables.await;
import static dev.stint.testing.AuditTables.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.audit.AuditEvent;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.mint.Receipt;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ledger against the real migrations: a row commits with its {@code credential.issued}
 * event or not at all, and the reads revocation acts on see what was minted, where, and until
 * when.
 */
class LedgerTest {
  private static final String ROLE = "arn:aws:iam::111122223333:role/prod-admin";
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
  private DatabaseUrl url;
  private Vertx vertx;
  private Database db;
  private GroupCommitAuditLog audit;
  private Ledger ledger;

  @BeforeEach
  void setUp() {
    url = TestPostgres.migratedDatabase();
    vertx = Vertx.vertx();
    db = Database.connect(vertx, url, 4);
    audit = new GroupCommitAuditLog(vertx, db.pool(), Clock.systemUTC(),
        new AuditConfig(Duration.ofSeconds(10), 64));
    ledger = new Ledger(db.pool());
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  private static LedgerEntry entry(String id, String grant, String role, Instant expires) {
    return new LedgerEntry(id, LedgerEntry.Basis.grant(grant, "req_" + grant, Optional.empty()),
        new LedgerEntry.Holder("https://idp.example", "jane"), "prod",
        Receipt.awsSession(role, "ASIA" + id.toUpperCase(), "jane", "0123456789abcdef." + grant,
            expires));
  }

  private Future<?> issue(LedgerEntry e) {
    return audit.append(AuditEvent.builder("credential.issued").grantId(e.basis().grantId()
        .orElseThrow()).detail("credential_id", e.id()).build(), e);
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
        .singleElement().satisfies(row -> assertThat(row).startsWith("grt_a "));
    assertThat(AuditTables.strings(url, "SELECT c.id FROM credentials c JOIN audit_events e"
        + " ON e.event_id = c.event_id AND e.details->>'credential_id' = c.id"))
        .containsExactly("crd_one");
  }

  @Test
  void aBatchOfManyIssuancesIsOneTransactionWithOneLedgerStatement() throws Exception {
    List<Future<?>> all = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      all.add(issue(entry("crd_many" + i, "grt_many", ROLE, now.plusSeconds(900))));
    }
    await(Future.all(all));

    assertThat(await(ledger.ofGrant("grt_many"))).hasSize(50)
        .allSatisfy(c -> assertThat(c.stateAt(now)).isEqualTo(CredentialState.LIVE));
  }

  @Test
  void reachNamesWhereTheGrantsValidCredentialsWereMintedAndExpiredOnesDoNotCount()
      throws Exception {
    await(issue(entry("crd_r1", "grt_r", ROLE, now.plusSeconds(900))));
    await(issue(entry("crd_r2", "grt_r", ROLE + "-old", now.plusSeconds(1800))));
    await(issue(entry("crd_r3", "grt_r", ROLE + "-gone", now.minusSeconds(60))));

    assertThat(await(ledger.reach("grt_r", now))).containsExactly(
        new Ledger.Reach("aws", ROLE, 1, now.plusSeconds(900)),
        new Ledger.Reach("aws", ROLE + "-old", 1, now.plusSeconds(1800)));
    assertThat(await(ledger.latestExpiry("grt_r"))).contains(now.plusSeconds(1800));
  }

  @Test
  void aRevokedGrantIsDeniedByTagWhileItsSessionsLiveAndBySourceAnHourMore() throws Exception {
    await(issue(entry("crd_v1", "grt_v", ROLE, now.plusSeconds(900))));
    await(issue(entry("crd_v2", "grt_v", ROLE, now.minusSeconds(30))));

    assertThat(await(ledger.markRevoked("grt_v", List.of(ROLE), now))).isEqualTo(1);

    List<Ledger.Revoked> denied = await(ledger.revokedOn(ROLE, now, Instant.EPOCH));
    assertThat(denied).singleElement().satisfies(r -> {
      assertThat(r.sessionsUntil()).isEqualTo(now.plusSeconds(900));
      assertThat(r.chainedUntil()).isEqualTo(now.plus(Ledger.CHAIN));
    });
    Instant later = now.plusSeconds(1200);
    assertThat(await(ledger.revokedOn(ROLE, later, Instant.EPOCH))).singleElement()
        .satisfies(r -> assertThat(r.sessionsAlive(later)).isFalse());
    assertThat(await(ledger.revokedOn(ROLE, now.plus(Ledger.CHAIN).plusSeconds(1),
        Instant.EPOCH))).isEmpty();
    assertThat(await(ledger.revokedOn(ROLE, now, now.plusSeconds(1)))).as("after a cutoff")
        .isEmpty();
    assertThat(await(ledger.ofGrant("grt_v"))).extracting(c -> c.stateAt(now))
        .containsExactly(CredentialState.REVOKED, CredentialState.EXPIRED);
  }

  @Test
  void aCutoffCountsTheOtherLiveSessionsItCutsAndLastsAsLongAsTheRevokedOnes() throws Exception {
    await(issue(entry("crd_c1", "grt_c1", ROLE, now.plusSeconds(600))));
    await(issue(entry("crd_c2", "grt_c2", ROLE, now.plusSeconds(1200))));
    await(issue(entry("crd_c3", "grt_c3", ROLE + "-elsewhere", now.plusSeconds(1200))));
    await(ledger.markRevoked("grt_c1", List.of(ROLE), now));

    Ledger.Cut cut = await(ledger.liveBefore(ROLE, now, now.plusSeconds(10)));

    assertThat(cut.credentials()).isEqualTo(1);
    assertThat(cut.grants()).containsExactly("grt_c2");
    assertThat(await(ledger.revokedUntil(ROLE, now, now.plusSeconds(10))))
        .contains(now.plus(Ledger.CHAIN));
  }

  @Test
  void aWithheldCredentialIsNoLongerValidAnywhere() throws Exception {
    await(issue(entry("crd_w", "grt_w", ROLE, now.plusSeconds(900))));

    await(ledger.withhold("crd_w", now));

    assertThat(await(ledger.reach("grt_w", now))).isEmpty();
    assertThat(await(ledger.latestExpiry("grt_w"))).isEmpty();
    assertThat(await(ledger.ofGrant("grt_w"))).singleElement()
        .satisfies(c -> assertThat(c.stateAt(now)).isEqualTo(CredentialState.WITHHELD));
  }
}
