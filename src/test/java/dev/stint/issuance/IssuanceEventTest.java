package dev.stint.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.Caller;
import dev.stint.access.Grant;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.audit.AuditRecord;
import dev.stint.audit.EventRows;
import dev.stint.common.Ids;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.identity.Principal;
import dev.stint.ledger.LedgerEntry;
import dev.stint.mint.AccessToken;
import io.vertx.core.Future;
import io.vertx.sqlclient.ClosedConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A refusal reaches the caller only once its {@code credential.denied} is on the record, and each
 * record names what the request was on: the grant, its request, the CI rule, the target.
 */
class IssuanceEventTest {
  private static final Principal JANE =
      new Principal(
          "corp",
          "https://login.example.com",
          "jane",
          Optional.of("jane@example.com"),
          List.of("eng"),
          Map.of("sub", "jane"),
          Instant.parse("2026-11-26T12:00:00Z"),
          Optional.empty());
  private static final Caller CALLER = new Caller(JANE, Optional.of("10.0.0.1"), Optional.empty());
  private static final Instant ENDS = Instant.parse("2026-11-26T13:00:00Z");
  private static final Grant GRANT =
      new Grant(
          "grt_1",
          "req_1",
          "prod",
          JANE.person(),
          Instant.parse("2026-11-26T12:00:00Z"),
          ENDS,
          false,
          Optional.empty(),
          Optional.empty(),
          Narrowed.NONE);
  private static final String SA = "deploy@p.iam.gserviceaccount.com";
  private static final AccessToken TOKEN =
      new AccessToken("gcp", SA, "ya29.secret", ENDS, "expires_at");

  /** An audit log that records what it is given, or fails every append. */
  private static final class Log implements AuditLog {
    final List<AuditEvent> appended = new ArrayList<>();
    final List<LedgerEntry> rows = new ArrayList<>();
    final boolean down;

    Log(boolean down) {
      this.down = down;
    }

    @Override
    public Future<AuditRecord> append(AuditEvent event) {
      if (down) {
        return Future.failedFuture(
            new StintException(
                ErrorCode.AUDIT_UNAVAILABLE,
                "the audit log could not be written; the event was not recorded"));
      }
      appended.add(event);
      return Future.succeededFuture();
    }

    @Override
    public Future<AuditRecord> append(AuditEvent event, EventRows.Row<?> credential) {
      if (!down) {
        rows.add((LedgerEntry) credential.value());
      }
      return append(event);
    }
  }

  @Test
  void aRefusalIsAnsweredAsItselfOnceItIsRecorded() {
    Log log = new Log(false);

    Throwable answer =
        new IssuanceEvent(log, CALLER, "prod")
            .denied(StintException.forbidden("not yours"))
            .cause();

    assertThat(answer)
        .isInstanceOfSatisfying(
            StintException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
    assertThat(log.appended)
        .singleElement()
        .satisfies(e -> assertThat(e.type()).isEqualTo("credential.denied"));
  }

  @Test
  void aRefusalThatCannotBeRecordedIsAnsweredAsTheAuditBeingDown() {
    Throwable answer =
        new IssuanceEvent(new Log(true), CALLER, "prod")
            .denied(StintException.forbidden("not yours"))
            .cause();

    assertThat(answer)
        .isInstanceOfSatisfying(
            StintException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.AUDIT_UNAVAILABLE));
  }

  /**
   * Found by FailoverIT: a read that failed while the database was out of reach, whose denial was
   * recorded once it was back, was answered 500 internal.
   */
  @Test
  void aDatabaseOutOfReachIsAnsweredAsUnavailableNotAsAnInternalError() {
    Log log = new Log(false);

    Throwable answer =
        new IssuanceEvent(log, CALLER, "prod").denied(ClosedConnectionException.INSTANCE).cause();

    assertThat(answer)
        .isInstanceOfSatisfying(
            StintException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    assertThat(log.appended)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo("credential.denied");
              assertThat(e.outcome()).isEqualTo("error");
              assertThat(e.details()).containsEntry("code", "unavailable");
            });
  }

  @Test
  void aFailureOfItsOwnIsStillInternal() {
    Throwable answer =
        new IssuanceEvent(new Log(false), CALLER, "prod")
            .denied(new IllegalStateException("a bug"))
            .cause();

    assertThat(answer)
        .isInstanceOfSatisfying(
            StintException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL));
  }

  @Test
  void anIssuedCredentialIsRecordedWithItsGrantItsTargetAndItsLedgerRow() {
    Log log = new Log(false);
    IssuanceEvent event = new IssuanceEvent(log, CALLER, "prod");
    event.basis(new Basis.Approved(GRANT, Duration.ofHours(1), Optional.of("deploys")));
    event.target(SA);

    IssuanceEvent.Recorded recorded = event.issued(TOKEN, new Ids()).result();

    assertThat(recorded.credential()).isSameAs(TOKEN);
    assertThat(log.appended)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo("credential.issued");
              assertThat(e.outcome()).isEqualTo("ok");
              assertThat(e.actor().subject()).isEqualTo("jane");
              assertThat(e.profile()).isEqualTo("prod");
              assertThat(e.cloud()).isEqualTo("gcp");
              assertThat(e.target()).isEqualTo(SA);
              assertThat(e.grantId()).isEqualTo("grt_1");
              assertThat(e.requestId()).isEqualTo("req_1");
              assertThat(e.reason()).isEqualTo("approved request under CI rule 'deploys'");
              assertThat(e.details())
                  .containsEntry("credential_id", recorded.credentialId())
                  .containsEntry("ci_rule", "deploys")
                  .containsEntry("valid_until", ENDS.toString())
                  .containsEntry("credential", TOKEN.auditFacts());
              assertThat(e.toString()).doesNotContain("ya29.secret");
            });
    assertThat(log.rows)
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.id()).isEqualTo(recorded.credentialId()).startsWith("crd_");
              assertThat(row.basis())
                  .isEqualTo(LedgerEntry.Basis.grant("grt_1", "req_1", Optional.of("deploys")));
              assertThat(row.holder())
                  .isEqualTo(new LedgerEntry.Holder(JANE.issuer(), JANE.subject()));
              assertThat(row.profile()).isEqualTo("prod");
              assertThat(row.receipt()).isEqualTo(TOKEN.receipt());
            });
  }

  @Test
  void aDenialOnAGrantNamesTheGrantItsRequestAndItsCiRule() {
    Log log = new Log(false);
    IssuanceEvent event = new IssuanceEvent(log, CALLER, "prod");
    event.basis(new Basis.Approved(GRANT, Duration.ofHours(1), Optional.of("deploys")));

    event.denied(StintException.forbidden("not yours"));

    assertThat(log.appended)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo("credential.denied");
              assertThat(e.outcome()).isEqualTo("refused");
              assertThat(e.reason()).isEqualTo("not yours");
              assertThat(e.grantId()).isEqualTo("grt_1");
              assertThat(e.requestId()).isEqualTo("req_1");
              assertThat(e.details())
                  .containsEntry("ci_rule", "deploys")
                  .containsEntry("code", ErrorCode.FORBIDDEN.code());
            });
  }

  @Test
  void anUnexpectedFailureIsRecordedAsAnErrorAndAnsweredWithoutItsDetail() {
    Log log = new Log(false);

    Throwable answer =
        new IssuanceEvent(log, CALLER, "prod")
            .denied(new IllegalStateException("connection to db.internal:5432 refused"))
            .cause();

    assertThat(answer)
        .isInstanceOfSatisfying(
            StintException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
              assertThat(e.detail()).isEqualTo("credential issuance failed");
            });
    assertThat(log.appended)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.outcome()).isEqualTo("error");
              assertThat(e.reason()).isEqualTo("credential issuance failed");
              assertThat(e.details()).containsEntry("code", ErrorCode.INTERNAL.code());
              assertThat(e.grantId()).isNull();
            });
  }

  @Test
  void aRefusalKeepsItsFullReasonForTheAuditAndShowsTheCallerLess() {
    Log log = new Log(false);
    StintException shown = StintException.forbidden("no CI rule matches this token");

    Throwable answer =
        new IssuanceEvent(log, CALLER, "prod")
            .denied(new IssuanceEvent.Refusal(shown, "rule 'deploys': ref is not main"))
            .cause();

    assertThat(answer)
        .isInstanceOfSatisfying(
            StintException.class,
            e -> assertThat(e.detail()).isEqualTo("no CI rule matches this token"));
    assertThat(log.appended)
        .singleElement()
        .satisfies(e -> assertThat(e.reason()).isEqualTo("rule 'deploys': ref is not main"));
  }

  @Test
  void theAuditBeingDownIsPassedOnAsItIsWithNothingRecorded() {
    Log log = new Log(false);
    StintException down =
        new StintException(ErrorCode.AUDIT_UNAVAILABLE, "the audit log could not be written");

    Throwable answer = new IssuanceEvent(log, CALLER, "prod").denied(down).cause();

    assertThat(answer).isSameAs(down);
    assertThat(log.appended).isEmpty();
  }

  @Test
  void aWithheldCredentialIsPassedOnWithoutASecondRecord() {
    Log log = new Log(false);
    IssuanceEvent.Withheld withheld = IssuanceEvent.Withheld.revoked("grt_1");

    Throwable answer = new IssuanceEvent(log, CALLER, "prod").denied(withheld).cause();

    assertThat(answer).isSameAs(withheld);
    assertThat(log.appended).isEmpty();
  }
}
