package dev.stint.app;

import dev.stint.audit.ChainVerifier;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * One round of each of a running server's timed jobs, now: the seams through which tests move the
 * server's clock and run a job rather than wait for its timer. Each is the round its timer runs.
 */
public final class Rounds {
  private final AccessWiring access;
  private final ReviewWiring reviews;
  private final AuditWiring audit;

  Rounds(AccessWiring access, ReviewWiring reviews, AuditWiring audit) {
    this.access = access;
    this.reviews = reviews;
    this.audit = audit;
  }

  /** One sweeper round (expiries, reminders, escalations); answers how many it acted on. */
  public Future<Integer> sweep() {
    return access.sweep();
  }

  /** One round of access reviews (the schedule, then the due dates). */
  public Future<Integer> reviews() {
    return reviews.sweep();
  }

  /** One checkpoint round (signs when due, delivers what anchors lack). */
  public Future<?> checkpoint() {
    return audit.checkpointNow();
  }

  /** One round of the audit's months: those ahead made, retention run when set. */
  public Future<?> auditMonths() {
    return audit.monthsNow();
  }

  /** Every audit sink delivers what it can. */
  public Future<Void> sink() {
    return audit.sinkNow();
  }

  /** One tamper check; answers the break found, if any. */
  public Future<Optional<ChainVerifier.Result>> tamperCheck() {
    return audit.tamperCheckNow();
  }
}
