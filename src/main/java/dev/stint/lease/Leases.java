package dev.stint.lease;

import dev.stint.access.Action;
import dev.stint.access.Caller;
import dev.stint.access.Grants;
import dev.stint.access.RequestListener;
import dev.stint.access.Requests;
import dev.stint.access.RevocationPace;
import dev.stint.audit.AuditLog;
import dev.stint.ledger.Ledger;
import dev.stint.outbox.DurableListener;
import dev.stint.outbox.Outbox;
import dev.stint.policy.PolicyInForce;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.Optional;

/**
 * Task leases, assembled for {@code app}, each kind of caller handed the port it needs: {@link
 * Leasing} and {@link LeaseViews} to the routes and pages ({@link LeaseViews} to the findings too),
 * {@link LeaseBearers} to the API's authentication, {@link LeaseMints} to the issuance pipeline,
 * {@link RevokedLeases} to the revocation of a lease's sessions, {@link RevokesAsStint} to a
 * finding's action, {@link LeaseMessages} ({@link LeaseMessaging}) to Slack's messages of agents'
 * asks; and the outbox listener that ends a revoked grant's leases with it ({@link
 * #endWithGrants}). Only {@code app} holds this class ({@code FeaturePortsTest}).
 */
public final class Leases implements Leasing {
  /** Package-private for {@link LeaseAsking}, which asks through it. */
  final LeaseCreation creation;

  private final LeaseReading reading;
  private final LeaseEnding ending;

  /** Package-private for {@link LeaseMessaging}, which judges votes through it. */
  final LeaseDeciding deciding;

  private final LeaseMinting minting;
  private final LeaseNews news;

  /** The people-facing ports of access, the policy in force, and where leases are kept. */
  public record Needs(Requests requests, Grants grants, PolicyInForce policies) {}

  public Leases(
      Needs needs, Pool pool, Outbox<RequestListener.Change> outbox, AuditLog log, Clock clock) {
    LeaseAudit audit = new LeaseAudit(log);
    LeaseStore store = new LeaseStore(pool);
    this.news = new LeaseNews(needs.grants(), outbox);
    this.creation =
        new LeaseCreation(
            needs.requests(), needs.grants(), needs.policies(), pool, audit, news, clock);
    this.reading = new LeaseReading(needs.requests(), store, new Ledger(pool), audit);
    this.ending =
        new LeaseEnding(needs.requests(), needs.grants(), reading, pool, outbox, audit, clock);
    this.deciding = new LeaseDeciding(needs.requests(), reading, pool, audit, news, clock);
    this.minting = new LeaseMinting(store, audit, new LeaseEligibility(needs.grants()));
  }

  /**
   * Which of a request's leases were revoked, read from {@code pool} (the revocation's own, with
   * its deadline): what the revocation of their sessions asks.
   */
  public static RevokedLeases revokedLeases(Pool pool) {
    return new LeaseStore(pool);
  }

  /**
   * Told after each lease revoke commits (its deny waits in the outbox), and after each agent's ask
   * is filed or decided (its messages wait there).
   */
  public void afterCommit(Runnable poke) {
    ending.afterCommit(poke);
    news.afterCommit(poke);
  }

  /**
   * Slows a holder's revokes of their own leases as {@code pace} says (the server's, the same that
   * paces their grants' revokes).
   */
  public void pace(RevocationPace pace) {
    ending.pace(pace);
  }

  /** Making, voting on and revoking leases: the routes and pages. */
  public Leasing leasing() {
    return this;
  }

  /** Reading leases: the routes, the pages, the findings. */
  public LeaseViews views() {
    return reading;
  }

  /** A lease token's bearer, resolved by the API's authentication. */
  public LeaseBearers bearers() {
    return minting;
  }

  /** What the issuance pipeline asks when it mints on a lease. */
  public LeaseMints mints() {
    return minting;
  }

  /** Revoking a lease as stint, for a finding's action. */
  public RevokesAsStint asStint() {
    return ending;
  }

  @Override
  public Future<CreatedLease> create(Caller caller, String requestId, NewLease asked) {
    return creation.create(caller, requestId, asked);
  }

  @Override
  public Future<Lease> decide(Caller caller, String id, Action action, Optional<String> comment) {
    return deciding.decide(caller, id, action, comment);
  }

  @Override
  public Future<Lease> revoke(Caller caller, String id, Optional<String> comment) {
    return ending.revoke(caller, id, comment);
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
