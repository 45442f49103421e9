package dev.stint.assignment;

import dev.stint.access.Grant;
import dev.stint.access.RequestListener.Change;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.audit.EventRows;
import dev.stint.common.Timestamps;
import dev.stint.mint.MintException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A lasting refusal of an assignment's creation or deletion: AWS refused stint's call in a way
 * retrying will not fix (stint's rights narrowed, a validation error, the instance or the
 * permission set gone: a non-retryable {@link MintException}), or a delivery still failing once the
 * outbox's patience ({@code outbox.give_up_after}) has run out (a throttle or conflict that lasts).
 * The first of each stage is recorded on the row with its {@code assignment.refused} event, in one
 * transaction, and raises the alarm once; later ones (each retry) are only logged by the outbox.
 * Deliveries of one grant take turns ({@link AssignmentListener#turn}), so two never decide at once
 * that a refusal is the first.
 */
final class AssignmentRefusals {
  static final String CREATION = "creation";
  static final String DELETION = "deletion";

  /** The stage of the row's first lasting refusal, if any. */
  static final String STAGE =
      "SELECT refused_stage FROM identity_center_assignments WHERE grant_id = $1";

  /** The refusal, written by the audit log with its event (one row a batch: the later kept). */
  static final String REFUSE_ALL =
      "UPDATE identity_center_assignments AS a SET refused_stage = t.st, refusal = t.why,"
          + " refused_at = t.at FROM (SELECT DISTINCT ON (g) * FROM unnest($1::text[],"
          + " $2::text[], $3::text[], $4::timestamptz[]) WITH ORDINALITY AS x(g, st, why, at, n)"
          + " ORDER BY g, n DESC) AS t WHERE a.grant_id = t.g";

  record Refusal(String grantId, String stage, String why) {}

  static final EventRows<Refusal> REFUSED =
      new EventRows<>() {
        @Override
        public String insertAll() {
          return REFUSE_ALL;
        }

        @Override
        public Tuple parameters(List<EventRows.Attached<Refusal>> rows) {
          return Tuple.tuple()
              .addArrayOfString(rows.stream().map(r -> r.value().grantId()).toArray(String[]::new))
              .addArrayOfString(rows.stream().map(r -> r.value().stage()).toArray(String[]::new))
              .addArrayOfString(rows.stream().map(r -> r.value().why()).toArray(String[]::new))
              .addArrayOfOffsetDateTime(
                  rows.stream()
                      .map(r -> Timestamps.utc(r.occurredAt()))
                      .toArray(OffsetDateTime[]::new));
        }
      };

  private final Pool pool;
  private final AuditLog audit;
  private final AssignmentAlarm alarm;

  AssignmentRefusals(Pool pool, AuditLog audit, AssignmentAlarm alarm) {
    this.pool = pool;
    this.audit = audit;
    this.alarm = alarm;
  }

  /** Whether retrying {@code e} will not help: AWS's refusal of stint's call, not its weather. */
  static boolean lasting(Throwable e) {
    return e instanceof MintException m && !m.retryable();
  }

  /**
   * What the refusal {@code e} is, for the row, the audit and the alarm: the caller-safe message
   * and the kind of AWS's error (never AWS's own words, which go to the server log).
   */
  static String why(Throwable e) {
    String said = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return e.getCause() == null
        ? said
        : said + " (" + e.getCause().getClass().getSimpleName() + ")";
  }

  /**
   * Records, audits and alarms the first lasting refusal of {@code stage} of the change's grant's
   * assignment; nothing for a grant without a row or one whose {@code stage} was refused before.
   */
  Future<Void> refused(Change change, String stage, String why) {
    Grant grant = change.request().grant().orElseThrow();
    return pool.preparedQuery(STAGE)
        .execute(Tuple.of(grant.id()))
        .compose(
            rows -> {
              if (rows.size() == 0
                  || stage.equals(rows.iterator().next().getString("refused_stage"))) {
                return Future.succeededFuture();
              }
              AuditEvent event =
                  AuditEvent.builder("assignment.refused")
                      .actor(AuditEvent.Actor.SYSTEM)
                      .requestId(change.request().id())
                      .grantId(grant.id())
                      .profile(change.request().profile())
                      .outcome("error")
                      .reason(why)
                      .detail("stage", stage)
                      .build();
              return audit
                  .append(event, REFUSED.row(new Refusal(grant.id(), stage, why)))
                  .onSuccess(
                      x -> alarm.assignmentRefused(grant.id(), change.request().id(), stage, why))
                  .mapEmpty();
            });
  }

  /** The stage of a change: a grant's start makes the assignment, its end deletes it. */
  static String stage(boolean end) {
    return end ? DELETION : CREATION;
  }
}
