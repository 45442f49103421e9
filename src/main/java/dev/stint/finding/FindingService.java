package dev.stint.finding;

import dev.stint.access.Requests;
import dev.stint.audit.AuditLog;
import dev.stint.lease.LeaseViews;
import dev.stint.outbox.Committed;
import dev.stint.outbox.Outbox;
import dev.stint.outbox.OutboxWorker;
import dev.stint.policy.PolicyInForce;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Findings, assembled for {@code app}: the judging of kept calls ({@link #worker}), what follows a
 * finding through an outbox of its own (its audit and action, {@link FindingActs}; its notices,
 * {@link #tell}), and the reads ({@link #reading}).
 */
public final class FindingService implements AutoCloseable {
  private final Outbox<FindingChange> outbox;
  private final OutboxWorker<FindingChange> deliveries;
  private final FindingWorker worker;
  private final FindingReading reading;
  private final FindingStore store;
  private final List<String> receivers = new CopyOnWriteArrayList<>();

  /**
   * The people-facing ports a read checks visibility with, the policy in force, the audit, how a
   * finding ends a lease or a grant, and how the outbox delivers.
   */
  public record Needs(
      Requests requests,
      LeaseViews leases,
      PolicyInForce policies,
      AuditLog audit,
      FindingEnds ends,
      OutboxWorker.Settings deliveries) {}

  public FindingService(Vertx vertx, Pool pool, Needs needs, Clock clock) {
    FindingAudit audit = new FindingAudit(needs.audit());
    this.store = new FindingStore(pool);
    this.outbox = new Outbox<>(pool);
    outbox.register(
        new FindingActs(pool, audit, needs.ends(), () -> List.copyOf(receivers), clock));
    this.deliveries =
        new OutboxWorker<>(
            vertx, pool, outbox, this::rebuild, needs.deliveries(), needs.audit(), clock);
    this.worker =
        new FindingWorker(
            vertx,
            new Judging(pool, needs.policies(), outbox, clock),
            pool,
            deliveries::poke,
            clock);
    this.reading =
        new FindingReading(needs.requests(), needs.leases(), store, needs.policies(), audit, clock);
  }

  /**
   * Tells {@code news} of every live finding raised from now on (never a dry run's), durably:
   * register it before {@link #start}.
   */
  public void tell(FindingNews news) {
    outbox.register(new NewsListener(news));
    receivers.add(news.name());
  }

  /** Starts judging and delivering. */
  public void start() {
    deliveries.start();
    worker.start();
  }

  /** Judges the calls queued now: told after each keep of calls commits. */
  public FindingWorker worker() {
    return worker;
  }

  public FindingReading reading() {
    return reading;
  }

  /**
   * Findings by id, for what reads them without a caller (a notice's button, whose click is judged
   * as the revoke it asks for).
   */
  public static FindingLookup lookup(Pool pool) {
    return new FindingStore(pool);
  }

  private Future<Optional<FindingChange>> rebuild(Committed.Recorded recorded) {
    return recorded
        .comment()
        .map(id -> store.one(id).map(found -> found.map(FindingChange::new)))
        .orElse(Future.succeededFuture(Optional.empty()));
  }

  /** Stops judging and delivering; answers when deliveries under way have ended. */
  public Future<Void> stop() {
    worker.close();
    return deliveries.stop();
  }

  @Override
  public void close() {
    worker.close();
    deliveries.close();
  }
}
