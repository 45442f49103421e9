package dev.stint.revocation;

import dev.stint.ledger.Ledger;
import dev.stint.mint.Minters;
import dev.stint.mint.SessionRevoker;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Ends a revocation's targets and reports whom their ends cut, for a grant's revocation ({@link
 * RevocationListener}) and a task lease's ({@link LeaseRevocationListener}) alike: each target
 * ended through its cloud's revoker in the target's turn ({@link TargetRevocation}), then, once the
 * targets are ended, each person collapsed to a cutoff of their own recorded ({@code
 * grant.revocation_collapsed}) and told of their other sessions it cut, and each target widened to
 * a cutoff recorded ({@code grant.revocation_widened}), alarmed (a cutoff cuts other people's
 * sessions, and a run of them may be someone filling the target on purpose) and its holders told.
 */
final class RevocationTargets {
  /** A target its cloud had to widen: the cloud, for the event, and what it did. */
  record Cut(String cloud, SessionRevoker.Widened widened) {}

  /**
   * What ending the targets did: the targets ended (in the order ended), those widened, and the
   * people collapsed to cutoffs of their own.
   */
  record Ended(
      Revocation revocation,
      List<String> targets,
      List<Cut> widened,
      List<SessionRevoker.Collapsed> collapsed) {
    Ended {
      targets = List.copyOf(targets);
      widened = List.copyOf(widened);
      collapsed = List.copyOf(collapsed);
    }

    /** Whether any target's end had to cover every stint session issued before it. */
    boolean anyWidened() {
      return !widened.isEmpty();
    }
  }

  private final Minters minters;
  private final TargetRevocation targets;
  private final RevocationEvents events;
  private final Reporting reporting;

  RevocationTargets(Pool pool, Minters minters, Reporting reporting) {
    this.minters = minters;
    this.targets = new TargetRevocation(pool);
    this.events = new RevocationEvents(reporting.audit());
    this.reporting = reporting;
  }

  /**
   * Ends each of {@code reach}'s targets whose cloud has a revoker, one after the other; a target
   * whose cloud has none is left out (nothing of it can be ended before it expires).
   */
  Future<Ended> end(Revocation revocation, List<Ledger.Reach> reach) {
    List<String> ended = new ArrayList<>();
    List<Cut> widened = new ArrayList<>();
    List<SessionRevoker.Collapsed> collapsed = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Ledger.Reach r : reach) {
      Optional<SessionRevoker> revoker = minters.revoker(r.cloud());
      if (revoker.isEmpty()) {
        continue;
      }
      chain =
          chain.compose(
              x ->
                  targets
                      .end(revoker.get(), r.target(), revocation.grantId())
                      .map(
                          outcome -> {
                            ended.add(r.target());
                            outcome.widened().ifPresent(w -> widened.add(new Cut(r.cloud(), w)));
                            collapsed.addAll(outcome.collapsed());
                            return null;
                          }));
    }
    return chain.map(x -> new Ended(revocation, ended, widened, collapsed));
  }

  /**
   * Each person collapsed, recorded and told of their other sessions it cut; then each widened
   * target's event, the alarm, and the holders of the sessions it cut told.
   */
  Future<Void> report(Ended ended) {
    Revocation revocation = ended.revocation();
    Future<Void> chain = Future.succeededFuture();
    for (SessionRevoker.Collapsed c : ended.collapsed()) {
      chain =
          chain
              .compose(x -> events.collapsed(revocation, c))
              .compose(x -> reporting.cut().tell(c.cut().grants(), c.target()));
    }
    for (Cut cut : ended.widened()) {
      SessionRevoker.Widened widened = cut.widened();
      chain =
          chain
              .compose(x -> events.widened(revocation, cut.cloud(), widened))
              .compose(
                  x -> {
                    reporting
                        .alarm()
                        .revocationWidened(
                            revocation.grantId(), widened.target(), widened.others().credentials());
                    return reporting.cut().tell(widened.others().grants(), widened.target());
                  });
    }
    return chain;
  }
}
