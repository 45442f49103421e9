package dev.stint.revocation;

import dev.stint.access.DurableListener;
import dev.stint.access.Grant;
import dev.stint.access.RequestListener.Change;
import dev.stint.access.RevocationReach.Live;
import dev.stint.ledger.Ledger;
import dev.stint.mint.MintException;
import dev.stint.mint.aws.AwsRevocations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Ends what a revoked grant was issued, from the credentials ledger and never from today's
 * policy. It is an outbox listener: the work is written with the revoke and delivered until it is
 * done, across restarts and replicas, one revocation at a time. Each delivery runs these steps:
 *
 * <ol>
 *   <li>read where the grant's credentials still valid were minted (the revoke has committed, so
 *       every credential handed out on the grant is in the ledger);
 *   <li>none: record {@code none}, and write nothing to any cloud;
 *   <li>no AWS session among them: record {@code until_expiry} (tokens cannot be revoked);
 *   <li>mark the grant's AWS sessions revoked in the ledger and record {@code until_deny};
 *   <li>write the deny of every role that holds one, widened where it would not fit;
 *   <li>record {@code denied}, and the audit events, and tell the people a widened deny cut.
 * </ol>
 *
 * <p>A failed write records {@code failed} with the alarm when it is not worth retrying soon (a
 * missing role, refused permissions, no room on the role) or when the outbox gives up, and
 * {@code until_deny} with the reason while it retries.
 */
public final class RevocationListener implements DurableListener {
  /** The outbox name of this listener's rows; rows from before the ledger carry it too. */
  public static final String NAME = "aws.revocation";
  /** One revocation at a time across replicas: they render roles' denies from shared rows. */
  static final String TURN = "revocation";
  static final String DENIABLE = "aws";

  private final Ledger ledger;
  private final ProgressStore progress;
  private final RoleRevocation roles;
  private final RevocationEvents events;
  private final Reporting reporting;
  private final Clock clock;

  public RevocationListener(Vertx vertx, Pool pool, AwsRevocations aws, Reporting reporting,
      Clock clock) {
    this.ledger = new Ledger(pool);
    this.progress = new ProgressStore(pool);
    this.roles = new RoleRevocation(vertx, ledger, new Cutoffs(pool), aws);
    this.events = new RevocationEvents(reporting.audit());
    this.reporting = reporting;
    this.clock = clock;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean wants(Change change) {
    return change.event().equals("grant.revoked") && change.request().grant().isPresent();
  }

  @Override
  public Optional<String> turn(Change change) {
    return Optional.of(TURN);
  }

  @Override
  public boolean audits() {
    return true;
  }

  @Override
  public Future<Void> deliver(Change change, Delivery delivery) {
    Grant grant = change.request().grant().orElseThrow();
    Instant now = clock.instant();
    // 1. Where the grant's valid credentials are.
    return ledger.reach(grant.id(), now).compose(reach -> {
      int valid = reach.stream().mapToInt(Ledger.Reach::credentials).sum();
      List<String> aws = reach.stream().filter(r -> r.cloud().equals(DENIABLE))
          .map(Ledger.Reach::target).toList();
      Progress started = new Progress(grant.id(), change.request().id(), change.at(),
          Live.UNTIL_DENY, aws, valid, false, Optional.empty(), now);
      if (reach.isEmpty()) {
        // 2. Nothing to end.
        return settle(change, delivery, started.at(Live.NONE, Optional.empty(), now));
      }
      if (aws.isEmpty()) {
        // 3. Tokens only.
        return settle(change, delivery, started.at(Live.UNTIL_EXPIRY, Optional.empty(), now));
      }
      // 4. The sessions, marked.
      return ledger.markRevoked(grant.id(), aws, now)
          .compose(x -> progress.save(started))
          // 5. Every role's deny.
          .compose(p -> writeRoles(p, now))
          // 6. Denied.
          .compose(p -> denied(change, delivery, p))
          .recover(e -> unwritten(started, e));
    });
  }

  @Override
  public Future<Void> failed(Change change, Delivery delivery, String why, boolean last) {
    Future<Void> marked = !last ? Future.succeededFuture()
        : progress.of(change.request().grant().orElseThrow().id()).compose(found -> found
            .filter(p -> p.stage() == Live.UNTIL_DENY)
            .map(p -> failedNow(p, why + "; the outbox gave up")).orElseGet(Future::succeededFuture));
    return marked.compose(x -> events.failed(change, delivery, why, last));
  }

  private Future<Progress> writeRoles(Progress p, Instant now) {
    List<RoleRevocation.Widened> widened = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (String role : p.roles()) {
      chain = chain.compose(x -> roles.write(role, p.grantId(), now)
          .map(outcome -> {
            outcome.widened().ifPresent(widened::add);
            return null;
          }));
    }
    return chain.compose(x -> tellCut(p, widened)).map(x -> widened.isEmpty() ? p : p.asWidened());
  }

  private Future<Void> tellCut(Progress p, List<RoleRevocation.Widened> widened) {
    Future<Void> chain = Future.succeededFuture();
    for (RoleRevocation.Widened w : widened) {
      chain = chain.compose(x -> events.widened(p, w))
          .compose(x -> reporting.cut().tell(w.others().grants(), w.role()));
    }
    return chain;
  }

  private Future<Void> denied(Change change, Delivery delivery, Progress p) {
    Instant now = clock.instant();
    reporting.revokeToDeny().accept(Duration.between(change.at(), now));
    return settle(change, delivery, p.at(Live.DENIED, Optional.empty(), now));
  }

  private Future<Void> settle(Change change, Delivery delivery, Progress p) {
    return progress.save(p).compose(saved -> events.applied(change, delivery, saved));
  }

  /**
   * The deny could not be written: {@code failed} with the alarm when retrying soon will not
   * help, {@code until_deny} with the reason otherwise. Either way the delivery fails, so the
   * outbox tries again (an operator may fix the role meanwhile) and records the attempt.
   */
  private Future<Void> unwritten(Progress started, Throwable e) {
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    boolean retryable = !(e instanceof MintException m) || m.retryable();
    Future<Void> recorded = retryable
        ? progress.save(started.at(Live.UNTIL_DENY, Optional.of("retrying: " + why),
            clock.instant())).mapEmpty()
        : failedNow(started, why);
    return recorded.transform(x -> Future.failedFuture(e));
  }

  /** Records {@code failed}; the alarm is raised when the revocation first becomes so. */
  private Future<Void> failedNow(Progress p, String why) {
    return progress.of(p.grantId()).compose(before -> progress.save(p.at(Live.FAILED,
        Optional.of(why), clock.instant())).map(saved -> {
          if (before.map(b -> b.stage() != Live.FAILED).orElse(true)) {
            reporting.alarm().revocationFailed(saved.grantId(), saved.requestId(), why);
          }
          return null;
        }));
  }
}
