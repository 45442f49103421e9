package dev.stint.revocation;

import dev.stint.access.Grant;
import dev.stint.access.RequestListener;
import dev.stint.access.RequestListener.Change;
import dev.stint.ledger.DeniableSessions;
import dev.stint.ledger.Ledger;
import dev.stint.ledger.RevocationReach;
import dev.stint.ledger.RevocationReach.Live;
import dev.stint.mint.MintException;
import dev.stint.mint.Minters;
import dev.stint.mint.SessionRevoker;
import dev.stint.outbox.DurableListener;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Ends what a revoked grant was issued, from the credentials ledger and never from today's policy.
 * It is an outbox listener: the work is written with the revoke and delivered until it is done,
 * across restarts and replicas. Each delivery runs these steps:
 *
 * <ol>
 *   <li>read the grant's sessions a deny must reach (the revoke has committed, so every credential
 *       handed out on the grant is in the ledger) and its other valid credentials;
 *   <li>none of either: record {@code none}, and write nothing to any cloud;
 *   <li>no session among them that its cloud can end (no {@link SessionRevoker}): record {@code
 *       until_expiry} (tokens cannot be revoked);
 *   <li>mark the grant's revocable sessions revoked in the ledger (the revoke marked those it could
 *       see) and record {@code until_deny};
 *   <li>end them on every target that holds one, through its cloud's revoker, each in its target's
 *       turn (the cloud widens where it cannot name them one by one), as {@link RevocationTargets}
 *       ends a task lease's too;
 *   <li>record and tell the people a widened end cut, then record {@code denied} with its {@code
 *       grant.revocation_applied} in one transaction.
 * </ol>
 *
 * <p>A delivery that finds the revocation settled ({@code denied}, {@code none}, {@code
 * until_expiry}) does nothing: the outbox delivers at least once, and a replica killed between the
 * settlement's commit and the outbox's mark would otherwise have it applied and recorded twice.
 *
 * <p>A cloud renders a target's end from every revoked grant on it, so one write serves every
 * revocation waiting for that target, and the next delivery finds nothing to change. A failed write
 * records {@code failed} with the alarm when retrying soon will not help (a missing role, refused
 * permissions, no room on the role) or when the outbox gives up, and {@code until_deny} with the
 * reason while it retries.
 */
public final class RevocationListener implements DurableListener<RequestListener.Change> {
  /** The outbox name of this listener's rows. */
  public static final String NAME = "revocation";

  /**
   * Each statement's deadline on the pool a revocation is given: a target's turn may be waited for
   * while another replica writes the same role ({@link TargetRevocation#TURN_WAIT}), longer than
   * any caller's statement may take, and a turn cut short by a caller's deadline would put the
   * revocation back in the outbox's backoff for minutes.
   */
  public static final Duration DEADLINE = TargetRevocation.TURN_WAIT.plusSeconds(15);

  /**
   * The name rows had before the ledger (written by earlier releases, also during a rolling
   * upgrade): delivered here as well, never written any more.
   */
  public static final String EARLIER_NAME = "aws.revocation";

  /** The stages a revocation ends in; its applied event is recorded with them. */
  private static final Set<Live> SETTLED = EnumSet.of(Live.DENIED, Live.NONE, Live.UNTIL_EXPIRY);

  private final String name;
  private final boolean writesRows;
  private final Ledger ledger;
  private final DeniableSessions deniables;
  private final ProgressStore progress;
  private final Minters minters;
  private final RevocationTargets targets;
  private final RevocationEvents events;
  private final Reporting reporting;
  private final Clock clock;
  private final Pool pool;
  private final PortalSessions portalSessions;
  private final PortalCutoffs portals;

  /**
   * Ends, through the revoker of each credential's cloud ({@link Minters#revoker}), on {@code
   * pool}.
   */
  public RevocationListener(Pool pool, Minters minters, Reporting reporting, Clock clock) {
    this(NAME, pool, minters, reporting, clock, PortalSessions.NONE);
  }

  /** As above, also ending the sessions {@code portals} says the clouds issued themselves. */
  public RevocationListener(
      Pool pool, Minters minters, Reporting reporting, Clock clock, PortalSessions portals) {
    this(NAME, pool, minters, reporting, clock, portals);
  }

  private RevocationListener(
      String name,
      Pool pool,
      Minters minters,
      Reporting reporting,
      Clock clock,
      PortalSessions portals) {
    this.name = name;
    this.writesRows = name.equals(NAME);
    this.ledger = new Ledger(pool);
    this.deniables = new DeniableSessions(pool);
    this.progress = new ProgressStore(pool);
    this.minters = minters;
    this.targets = new RevocationTargets(pool, minters, reporting);
    this.events = new RevocationEvents(reporting.audit());
    this.reporting = reporting;
    this.clock = clock;
    this.pool = pool;
    this.portalSessions = portals;
    this.portals = new PortalCutoffs(pool, portals);
  }

  /** The same revocation for the rows an earlier release wrote under {@link #EARLIER_NAME}. */
  public RevocationListener forEarlierRows() {
    return new RevocationListener(EARLIER_NAME, pool, minters, reporting, clock, portalSessions);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean wants(Change change) {
    return writesRows
        && change.event().equals("grant.revoked")
        && change.request().grant().isPresent();
  }

  @Override
  public boolean audits() {
    return true;
  }

  @Override
  public Future<Void> deliver(Change change, Delivery delivery) {
    Grant grant = change.request().grant().orElseThrow();
    Instant now = clock.instant();
    // 1. What a deny must reach, and what else is still valid.
    Future<List<Ledger.Reach>> deniable = deniables.ofGrant(grant.id(), now);
    Future<List<Ledger.Reach>> valid = ledger.reach(grant.id(), now);
    // The sessions the cloud issued itself (an Identity Center grant's), recorded as cutoffs.
    Future<PortalCutoffs.Found> portal = portals.record(grant.id(), change.at(), now);
    // What an earlier delivery recorded, read before this one records its start over it: the
    // alarm is raised when the revocation first fails, not at each retry of the outbox.
    Future<Optional<Progress>> before = progress.of(grant.id());
    return Future.all(deniable, valid, before, portal)
        .compose(
            x -> {
              if (before.result().filter(p -> SETTLED.contains(p.stage())).isPresent()) {
                // Settled and recorded in one transaction: a repeat (a replica killed after the
                // commit, before the outbox heard) has nothing to end and nothing to record.
                return Future.succeededFuture();
              }
              // Only a cloud with a revoker can end what it minted, on the target it minted on.
              List<Ledger.Reach> ended =
                  Stream.concat(deniable.result().stream(), portal.result().reach().stream())
                      .filter(r -> minters.revoker(r.cloud()).isPresent())
                      .toList();
              Optional<Throwable> unfound = portal.result().failure();
              Progress started = started(change, grant, ended, valid.result(), now);
              if (ended.isEmpty() && unfound.isEmpty()) {
                // 2. Nothing to end, or 3. tokens only.
                Live settled = valid.result().isEmpty() ? Live.NONE : Live.UNTIL_EXPIRY;
                return settle(change, delivery, started.at(settled, Optional.empty(), now));
              }
              // 4. The sessions, marked.
              return ledger
                  .markRevoked(grant.id(), now)
                  .compose(y -> progress.save(started))
                  // 5. Every target's end.
                  .compose(p -> endTargets(p, ended))
                  // 6. Denied, then the people a cutoff cut; unless the cloud's own sessions
                  // could not be found.
                  .compose(
                      w ->
                          unfound.isPresent()
                              ? Future.<Void>failedFuture(unfound.get())
                              : denied(change, delivery, w))
                  .recover(e -> unwritten(started, before.result(), e));
            });
  }

  private static Progress started(
      Change change, Grant grant, List<Ledger.Reach> ended, List<Ledger.Reach> valid, Instant now) {
    return new Progress(
        grant.id(),
        change.request().id(),
        change.at(),
        Live.UNTIL_DENY,
        ended.stream().map(Ledger.Reach::cloud).sorted().findFirst(),
        ended.stream().map(Ledger.Reach::target).toList(),
        new RevocationReach(valid, grant.endsAt(), Optional.empty()).credentials(),
        false,
        Optional.empty(),
        now);
  }

  @Override
  public Future<Void> failed(Change change, Delivery delivery, String why, boolean last) {
    Future<Void> marked =
        !last
            ? Future.succeededFuture()
            : progress
                .of(change.request().grant().orElseThrow().id())
                .compose(
                    found ->
                        found
                            .filter(p -> p.stage() == Live.UNTIL_DENY)
                            .map(p -> failedNow(p, why + "; the outbox gave up"))
                            .orElseGet(Future::succeededFuture));
    return marked.compose(x -> events.failed(change, delivery, why, last));
  }

  /** A revocation's targets ended: its progress, and what ending them did. */
  private record Written(Progress progress, RevocationTargets.Ended ended) {}

  private Future<Written> endTargets(Progress p, List<Ledger.Reach> ended) {
    return targets
        .end(Revocation.ofGrant(p.requestId(), p.grantId()), ended)
        .map(e -> new Written(e.anyWidened() ? p.asWidened() : p, e));
  }

  /**
   * The people and targets a cutoff cut, reported before the revocation settles: once settled, a
   * repeated delivery does nothing, so a report left for after the settlement could be lost to a
   * crash between the two, where a repeat of it only tells someone twice.
   */
  private Future<Void> denied(Change change, Delivery delivery, Written w) {
    Instant now = clock.instant();
    reporting.revokeToDeny().accept(Duration.between(change.at(), now));
    return targets
        .report(w.ended())
        .compose(
            x -> settle(change, delivery, w.progress().at(Live.DENIED, Optional.empty(), now)));
  }

  /** The settled progress and its {@code grant.revocation_applied}, in one transaction. */
  private Future<Void> settle(Change change, Delivery delivery, Progress p) {
    return events.applied(change, delivery, p);
  }

  /**
   * The deny could not be written: {@code failed} with the alarm when retrying soon will not help,
   * {@code until_deny} with the reason otherwise. Either way the delivery fails, so the outbox
   * tries again (an operator may fix the role meanwhile) and records the attempt.
   */
  private Future<Void> unwritten(Progress started, Optional<Progress> before, Throwable e) {
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    boolean retryable = !(e instanceof MintException m) || m.retryable();
    Future<Void> recorded =
        retryable
            ? progress
                .save(started.at(Live.UNTIL_DENY, Optional.of("retrying: " + why), clock.instant()))
                .mapEmpty()
            : failedNow(started, why, before);
    return recorded.transform(x -> Future.failedFuture(e));
  }

  /** Records {@code failed}; the alarm is raised when the revocation first becomes so. */
  private Future<Void> failedNow(Progress p, String why) {
    return progress.of(p.grantId()).compose(before -> failedNow(p, why, before));
  }

  /** Records {@code failed} over {@code before}, what was recorded until now. */
  private Future<Void> failedNow(Progress p, String why, Optional<Progress> before) {
    return progress
        .save(p.at(Live.FAILED, Optional.of(why), clock.instant()))
        .map(
            saved -> {
              if (before.map(b -> b.stage() != Live.FAILED).orElse(true)) {
                reporting.alarm().revocationFailed(saved.grantId(), saved.requestId(), why);
              }
              return null;
            });
  }
}
