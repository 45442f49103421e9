package dev.stint.revocation;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.Grant;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.access.RevocationPace.Paced;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.identity.Person;
import dev.stint.ledger.Ledger;
import dev.stint.ledger.LedgerEntry;
import dev.stint.ledger.LedgerRows;
import dev.stint.mint.Receipt;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A person's own revocations are paced from the ledger: past the share of one role, the next waits
 * until the first of theirs frees its room; other roles, other people and grants with nothing to
 * deny are not slowed.
 */
class OwnRevocationsTest {
  private static final String ROLE = "arn:aws:iam::111122223333:role/shared";
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
  private Vertx vertx;
  private Database db;
  private GroupCommitAuditLog audit;
  private Ledger ledger;
  private OwnRevocations pace;

  @BeforeEach
  void setUp() {
    DatabaseUrl url = TestPostgres.migratedDatabase();
    vertx = Vertx.vertx();
    db = Database.connect(vertx, url, 4);
    audit =
        new GroupCommitAuditLog(
            vertx, db.pool(), Clock.systemUTC(), new AuditConfig(Patience.AUDIT_COMMIT, 64));
    ledger = new Ledger(db.pool());
    pace = new OwnRevocations(db.pool(), 3);
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  private void issue(String grant, String subject, String role, Instant expires) throws Exception {
    LedgerEntry e =
        new LedgerEntry(
            "crd_" + grant,
            LedgerEntry.Basis.grant(grant, "req_" + grant, Optional.empty()),
            new LedgerEntry.Holder("https://idp.example", subject),
            "readonly",
            Receipt.awsSession(
                role,
                "ASIA" + grant.toUpperCase(Locale.ROOT),
                subject,
                "0123456789abcdef." + grant,
                expires));
    Future<?> appended =
        audit.append(
            AuditEvent.builder("credential.issued")
                .grantId(grant)
                .detail("credential_id", e.id())
                .build(),
            LedgerRows.issued(e));
    await(appended);
  }

  private static Grant grant(String id, String subject) {
    return new Grant(
        id,
        "req_" + id,
        "readonly",
        new Person("https://idp.example", subject, Optional.empty()),
        Instant.EPOCH,
        Instant.MAX,
        false,
        Optional.empty(),
        Optional.empty(),
        Narrowed.NONE);
  }

  private Optional<Paced> of(String grant, String subject) throws Exception {
    return await(pace.of(grant(grant, subject), now));
  }

  @Test
  void pastTheShareARoleTheNextOwnRevocationWaitsForTheFirstToFreeItsRoom() throws Exception {
    for (int i = 0; i < 3; i++) {
      issue("grt_m" + i, "mallory", ROLE, now.plus(Duration.ofMinutes(30 + i)));
      await(ledger.markRevoked("grt_m" + i, now));
    }
    issue("grt_next", "mallory", ROLE, now.plus(Duration.ofMinutes(50)));
    issue("grt_alice", "alice", ROLE, now.plus(Duration.ofMinutes(50)));
    issue("grt_elsewhere", "mallory", ROLE + "-other", now.plus(Duration.ofMinutes(50)));

    Optional<Paced> paced = of("grt_next", "mallory");

    // Unconfirmed denies: a chained session may start until the first session expires.
    assertThat(paced)
        .hasValueSatisfying(
            p -> {
              assertThat(p.retryAfter()).isEqualTo(Duration.ofMinutes(30).plus(Ledger.CHAIN));
              assertThat(p.why()).contains("3 revoked grants").contains("Retry-After");
            });
    assertThat(of("grt_alice", "alice")).as("another person on the same role").isEmpty();
    assertThat(of("grt_elsewhere", "mallory")).as("her grant on another role").isEmpty();
    assertThat(of("grt_none", "mallory")).as("a grant that minted nothing").isEmpty();
  }

  @Test
  void underTheShareNothingWaits() throws Exception {
    for (int i = 0; i < 2; i++) {
      issue("grt_m" + i, "mallory", ROLE, now.plus(Duration.ofMinutes(30)));
      await(ledger.markRevoked("grt_m" + i, now));
    }
    issue("grt_next", "mallory", ROLE, now.plus(Duration.ofMinutes(50)));

    assertThat(of("grt_next", "mallory")).isEmpty();
  }

  /** A lease whose sessions take no room is never paced, however many of hers do. */
  @Test
  void aLeaseThatMintedNothingIsNeverPaced() throws Exception {
    for (int i = 0; i < 3; i++) {
      issue("grt_m" + i, "mallory", ROLE, now.plus(Duration.ofMinutes(30)));
      await(ledger.markRevoked("grt_m" + i, now));
    }

    assertThat(await(pace.ofLease("lse_abcdefghijklmnopqrstuvwx", now))).isEmpty();
  }
}
