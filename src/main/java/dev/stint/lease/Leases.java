package dev.stint.lease;

import dev.stint.access.Grants;
import dev.stint.access.RequestListener;
import dev.stint.access.Requests;
import dev.stint.access.RevocationPace;
import dev.stint.audit.AuditLog;
import dev.stint.ledger.Ledger;
import dev.stint.outbox.DurableListener;
import dev.stint.outbox.Outbox;
import dev.stint.policy.PolicyStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;

/**
 * Task leases, assembled for {@code app}: making them, reading them, ending them, and the outbox
 * listener that ends a revoked grant's leases with it ({@link #endWithGrants}).
 */
public final class Leases {
  private final LeaseStore store;
  private final LeaseCreation creation;
  private final LeaseReading reading;
  private final LeaseEnding ending;
  private final LeaseDeciding deciding;

  /** The people-facing ports of access, the policy in force, and where leases are kept. */
  public record Needs(Requests requests, Grants grants, PolicyStore policies) {}

  public Leases(
      Needs needs, Pool pool, Outbox<RequestListener.Change> outbox, AuditLog log, Clock clock) {
    LeaseAudit audit = new LeaseAudit(log);
    this.store = new LeaseStore(pool);
    this.creation =
        new LeaseCreation(needs.requests(), needs.grants(), needs.policies(), pool, audit, clock);
    this.reading = new LeaseReading(needs.requests(), store, new Ledger(pool), audit);
    this.ending = new LeaseEnding(needs, reading, pool, outbox, audit, clock);
    this.deciding = new LeaseDeciding(needs.requests(), reading, pool, audit, clock);
  }

  /** Told after each lease revoke commits: its deny waits in the outbox. */
  public void afterCommit(Runnable poke) {
    ending.afterCommit(poke);
  }

  /**
   * Slows a holder's revokes of their own leases as {@code pace} says (the server's, the same that
   * paces their grants' revokes).
   */
  public void pace(RevocationPace pace) {
    ending.pace(pace);
  }

  public LeaseStore store() {
    return store;
  }

  public LeaseCreation creation() {
    return creation;
  }

  public LeaseReading reading() {
    return reading;
  }

  public LeaseEnding ending() {
    return ending;
  }

  public LeaseDeciding deciding() {
    return deciding;
  }

  /**
   * Ends every lease of a revoked grant, delivered from the outbox after the revoke commits (at
   * least once: a repeat finds none active). Its sessions need no deny of their own: the ledger
   * holds them as the grant's, so the grant's revocation denies them.
   */
  public DurableListener<RequestListener.Change> endWithGrants() {
    return new DurableListener<>() {
      @Override
      public String name() {
        return "lease.grant_ended";
      }

      @Override
      public boolean wants(RequestListener.Change change) {
        return change.event().equals("grant.revoked") && change.request().grant().isPresent();
      }

      @Override
      public Future<Void> deliver(RequestListener.Change change, Delivery delivery) {
        return ending
            .endWithGrant(change.request().grant().orElseThrow().id(), change.actor(), change.at())
            .mapEmpty();
      }
    };
  }
}
