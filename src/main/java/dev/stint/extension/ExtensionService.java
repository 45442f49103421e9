package dev.stint.extension;

import dev.stint.access.Act;
import dev.stint.access.RequestListener;
import dev.stint.access.VoterFacts;
import dev.stint.audit.AuditLog;
import dev.stint.outbox.Outbox;
import dev.stint.policy.PolicyInForce;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Extensions, assembled for {@code app} over one store, one audit and one clock, each kind of
 * caller handed the port it needs: {@link Extensions} to the routes and pages, {@link
 * ExtensionMessages} to Slack's messages (both over {@link ExtensionDesk}: asking, {@link
 * ExtensionAsking}, holder only; deciding, {@link ExtensionDeciding}, through the rules a request's
 * votes go through; reading, {@link ExtensionReading}); {@link ExtensionSweeps} to the timers
 * ({@link ExtensionSweep}: expiring extensions whose grant was revoked or ended); {@link
 * ExtensionLeavers} to the directory's deprovisioning ({@link ExtensionLeaving}). Policy answers
 * who may; {@link ExtensionMachine} decides; {@link ExtensionStore} makes it durable with its audit
 * event; listeners hear about it after the commit ({@link ExtensionNews}). Only {@code app} holds
 * this class ({@code FeaturePortsTest}).
 */
public final class ExtensionService {
  private final ExtensionStore store;
  private final ExtensionAudit audit;
  private final Clock clock;
  private final ExtensionNews news;
  private final ExtensionDesk desk;
  private final ExtensionSweep sweep;

  /**
   * Extensions kept in {@code pool}, each change's effects written to {@code outbox} in its
   * transaction, with no facts about voters.
   */
  public ExtensionService(
      Pool pool,
      Outbox<RequestListener.Change> outbox,
      PolicyInForce policies,
      AuditLog audit,
      Clock clock) {
    this(pool, outbox, policies, audit, clock, VoterFacts.NONE);
  }

  /** With {@code facts}, what the approver rules read about a voter (docs/policies.md, Facts). */
  public ExtensionService(
      Pool pool,
      Outbox<RequestListener.Change> outbox,
      PolicyInForce policies,
      AuditLog audit,
      Clock clock,
      VoterFacts facts) {
    this.store = new ExtensionStore(pool, outbox);
    this.audit = new ExtensionAudit(audit);
    this.clock = clock;
    this.news = new ExtensionNews(store, this::now);
    this.desk =
        new ExtensionDesk(
            new ExtensionAsking(store, policies, this.audit, news, this::now),
            new ExtensionDeciding(
                new ExtensionDeciding.Parts(store, this.audit, news, this::now), policies, facts),
            new ExtensionReading(store, policies, facts, this::now),
            store);
    this.sweep = new ExtensionSweep(store, this.audit, news, this::now);
  }

  public void listen(RequestListener listener) {
    news.listen(listener);
  }

  /** What to run once changes have committed: the outbox worker's poke, in the server. */
  public void afterCommit(Runnable run) {
    news.afterCommit(run);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /** Asking, deciding and reading: the routes and the pages. */
  public Extensions extensions() {
    return desk;
  }

  /** Reading one, whose vote would count, deciding on a click: Slack's messages. */
  public ExtensionMessages messages() {
    return desk;
  }

  /** The timers' round. */
  public ExtensionSweeps sweeps() {
    return sweep;
  }

  /**
   * Ending a deprovisioned person's extensions and their votes on others', in the deprovisioning's
   * transaction; what it changed is told as this service's own changes are.
   */
  public ExtensionLeavers leavers() {
    return new ExtensionLeaving(
        store,
        audit,
        this::now,
        told -> told.forEach(t -> news.tell(t.changed(), t.requestId(), Act.SYSTEM)));
  }
}
