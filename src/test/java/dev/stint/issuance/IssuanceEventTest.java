package dev.stint.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.Caller;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.audit.AuditRecord;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.identity.Principal;
import dev.stint.ledger.LedgerEntry;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A refusal reaches the caller only once its {@code credential.denied} is on the record. */
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

  /** An audit log that records what it is given, or fails every append. */
  private static final class Log implements AuditLog {
    final List<AuditEvent> appended = new ArrayList<>();
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
    public Future<AuditRecord> append(AuditEvent event, LedgerEntry credential) {
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
}
