package dev.stint.issuance;

import static dev.stint.testing.AuditTables.await;
import static dev.stint.testing.AuditTables.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.Caller;
import dev.stint.access.Grant;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.audit.AuditRecord;
import dev.stint.audit.EventRows;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.common.Ids;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.db.DatabaseTimeouts;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.identity.Principal;
import dev.stint.ledger.Ledger;
import dev.stint.mint.AccessToken;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A credential recorded and then found on a revoked grant is never handed out: {@code
 * credential.withheld} is committed, its ledger row marked withheld beside it, and the caller is
 * refused with the reason without waiting for the mark; a row that cannot be marked stays live, and
 * when nothing can be recorded the refusal still stands. The real ledger and audit log, on the real
 * migrations.
 */
class WithheldCredentialTest {
  static final Instant NOW = Instant.parse("2026-11-26T12:30:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final Principal JANE =
      new Principal(
          "corp",
          "https://login.example.com",
          "jane",
          Optional.of("jane@example.com"),
          List.of("eng"),
          Map.of("sub", "jane"),
          NOW.plus(Duration.ofMinutes(5)),
          Optional.empty());
  static final Caller CALLER = new Caller(JANE, Optional.of("10.0.0.1"), Optional.empty());
  static final Grant GRANT =
      new Grant(
          "grt_1",
          "req_1",
          "prod",
          JANE.person(),
          NOW.minus(Duration.ofMinutes(30)),
          NOW.plus(Duration.ofMinutes(30)),
          false,
          Optional.empty(),
          Optional.empty(),
          Narrowed.NONE);
  static final String SA = "deploy@p.iam.gserviceaccount.com";
  static final AccessToken TOKEN =
      new AccessToken("gcp", SA, "ya29.secret", GRANT.endsAt(), "expires_at");

  Vertx vertx;
  DatabaseUrl url;
  Database db;
  Recording audit;

  /** The real audit log, keeping what it was given for the assertions. */
  static final class Recording implements AuditLog {
    final AuditLog log;
    final List<AuditEvent> appended = new ArrayList<>();

    Recording(AuditLog log) {
      this.log = log;
    }

    @Override
    public Future<AuditRecord> append(AuditEvent event) {
      return log.append(event).onSuccess(r -> appended.add(event));
    }

    @Override
    public Future<AuditRecord> append(AuditEvent event, EventRows.Row<?> credential) {
      return log.append(event, credential).onSuccess(r -> appended.add(event));
    }
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    url = TestPostgres.migratedDatabase();
    db = Database.connect(vertx, url, 2);
    audit =
        new Recording(
            new GroupCommitAuditLog(
                vertx, db.pool(), CLOCK, new AuditConfig(Patience.AUDIT_COMMIT, 64)));
  }

  @AfterEach
  void stop() throws Exception {
    db.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  IssuanceEvent event(AuditLog log) {
    IssuanceEvent event = new IssuanceEvent(log, CALLER, "prod");
    event.basis(new Basis.Approved(GRANT, Duration.ofHours(1), Optional.empty()));
    event.target(SA);
    return event;
  }

  @Test
  void aWithheldCredentialIsMarkedInTheLedgerRecordedAndRefused() throws Exception {
    IssuanceEvent event = event(audit);
    IssuanceEvent.Recorded recorded = await(event.issued(TOKEN, new Ids()));
    IssuanceEvent.Withheld why = IssuanceEvent.Withheld.revoked("grt_1");

    Throwable answer = failure(event.withheld(recorded, why, new Ledger(db.pool()), CLOCK));

    assertThat(answer).isSameAs(why);
    Eventually.until(
        "the ledger row marked withheld when the refusal happened",
        Duration.ofSeconds(10),
        () ->
            AuditTables.strings(
                    url,
                    "SELECT state || ' ' || (ended_at = '"
                        + NOW
                        + "'::timestamptz) FROM credentials WHERE id = '"
                        + recorded.credentialId()
                        + "'")
                .equals(List.of("withheld true")));
    assertThat(audit.appended)
        .extracting(AuditEvent::type)
        .containsExactly("credential.issued", "credential.withheld");
    assertThat(audit.appended.get(1))
        .satisfies(
            e -> {
              assertThat(e.outcome()).isEqualTo("refused");
              assertThat(e.reason()).isEqualTo(why.detail());
              assertThat(e.target()).isEqualTo(SA);
              assertThat(e.grantId()).isEqualTo("grt_1");
              assertThat(e.cloud()).isEqualTo("gcp");
              assertThat(e.details())
                  .containsEntry("credential_id", recorded.credentialId())
                  .containsEntry("credential", TOKEN.auditFacts());
            });
  }

  @Test
  void aLedgerThatCannotBeMarkedLeavesTheRowLiveAndTheRefusalStillRecorded() throws Exception {
    IssuanceEvent event = event(audit);
    IssuanceEvent.Recorded recorded = await(event.issued(TOKEN, new Ids()));
    IssuanceEvent.Withheld why = IssuanceEvent.Withheld.revoked("grt_1");
    Database closed = Database.connect(vertx, url, 1);
    closed.close();

    Throwable answer = failure(event.withheld(recorded, why, new Ledger(closed.pool()), CLOCK));

    assertThat(answer).isSameAs(why);
    assertThat(audit.appended)
        .extracting(AuditEvent::type)
        .containsExactly("credential.issued", "credential.withheld");
    assertThat(state(recorded)).containsExactly("live");
  }

  @Test
  void theRefusalDoesNotWaitForARowARevokeHoldsAndTheMarkLandsOnceItLetsGo() throws Exception {
    IssuanceEvent event = event(audit);
    IssuanceEvent.Recorded recorded = await(event.issued(TOKEN, new Ids()));
    IssuanceEvent.Withheld why = IssuanceEvent.Withheld.unread("grt_1");
    Database patient =
        Database.connect(
            vertx, url, 1, DatabaseTimeouts.DEFAULTS.withStatement(Duration.ofMinutes(1)));
    // A revoke marking the grant's sessions holds their rows until its own record commits.
    try (Connection revoke = AuditTables.connect(url);
        Statement s = revoke.createStatement()) {
      revoke.setAutoCommit(false);
      s.execute(
          "SELECT 1 FROM credentials WHERE id = '" + recorded.credentialId() + "' FOR UPDATE");

      // The mark waits for the row as long as a statement may: longer than this test waits.
      Throwable answer = failure(event.withheld(recorded, why, new Ledger(patient.pool()), CLOCK));

      assertThat(answer).isSameAs(why);
      assertThat(AuditTables.count(url, "type = 'credential.withheld'")).isOne();
      assertThat(state(recorded)).containsExactly("live");
      revoke.rollback();
    }
    Eventually.until(
        "the mark once the revoke let go of the row",
        Duration.ofSeconds(10),
        () -> state(recorded).equals(List.of("withheld")));
    patient.close();
  }

  private List<String> state(IssuanceEvent.Recorded recorded) throws Exception {
    return AuditTables.strings(
        url, "SELECT state FROM credentials WHERE id = '" + recorded.credentialId() + "'");
  }

  @Test
  void nothingRecordableStillWithholdsTheCredential() throws Exception {
    IssuanceEvent.Recorded recorded = await(event(audit).issued(TOKEN, new Ids()));
    AuditLog down =
        new AuditLog() {
          @Override
          public Future<AuditRecord> append(AuditEvent e) {
            return Future.failedFuture(
                new StintException(ErrorCode.AUDIT_UNAVAILABLE, "the audit log is down"));
          }

          @Override
          public Future<AuditRecord> append(AuditEvent e, EventRows.Row<?> credential) {
            return append(e);
          }
        };
    IssuanceEvent.Withheld why = IssuanceEvent.Withheld.unread("grt_1");

    Throwable answer = failure(event(down).withheld(recorded, why, new Ledger(db.pool()), CLOCK));

    assertThat(answer).isSameAs(why);
    assertThat(why.code()).isEqualTo(ErrorCode.UNAVAILABLE);
  }
}
