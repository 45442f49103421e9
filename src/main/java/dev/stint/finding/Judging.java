package dev.stint.finding;

import dev.stint.activity.PortalAccess;
import dev.stint.common.Ids;
import dev.stint.finding.rules.Evaluation;
import dev.stint.finding.rules.Judged;
import dev.stint.finding.rules.Origin;
import dev.stint.ledger.Ledger;
import dev.stint.ledger.LedgerCredential;
import dev.stint.ledger.LedgerEntry;
import dev.stint.outbox.Outbox;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyInForce;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Judges the calls kept and not judged yet, a batch per transaction:
 *
 * <ol>
 *   <li>the policy in force now is taken once, for the whole batch;
 *   <li>the judging turn (one replica at a time), or nothing;
 *   <li>the oldest queued calls, taken off the queue;
 *   <li>whose key made each, from the credentials ledger, or whose Identity Center grant's portal
 *       access it is (a call of neither is dropped);
 *   <li>the baselines of the batch's profiles, people and leases or grants;
 *   <li>the rules, in the calls' order ({@link Evaluation}), each as the policy has it on the
 *       call's profile;
 *   <li>the baselines brought up to date with the batch;
 *   <li>each finding with the mode, severity and action it was raised under, and what follows it
 *       written to the outbox.
 * </ol>
 *
 * All in one transaction: a replica that stops on the way leaves the batch queued, judged by the
 * next turn, so every kept call is judged exactly once.
 */
final class Judging {
  /**
   * What one round did: the calls it judged, the findings it raised, whether the turn was taken.
   */
  record Round(int judged, int raised, boolean busy) {
    static final Round BUSY = new Round(0, 0, true);
  }

  private final Pool pool;
  private final PolicyInForce policies;
  private final Outbox<FindingChange> outbox;
  private final Ids ids;
  private final Clock clock;

  Judging(Pool pool, PolicyInForce policies, Outbox<FindingChange> outbox, Clock clock) {
    this.pool = pool;
    this.policies = policies;
    this.outbox = outbox;
    this.ids = new Ids(clock);
    this.clock = clock;
  }

  /**
   * A round that failed, and the calls it had claimed (their queue places): none when it failed
   * before claiming, one when it judged a call alone.
   */
  static final class Failed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<Long> claimed;

    Failed(List<Long> claimed, Throwable cause) {
      super(cause.toString(), cause, false, false);
      this.claimed = List.copyOf(claimed);
    }

    List<Long> claimed() {
      return claimed;
    }
  }

  /** A full batch. */
  Future<Round> once() {
    return once(CallQueue.BATCH);
  }

  /** At most {@code limit} calls; a failure is a {@link Failed} naming the calls it claimed. */
  Future<Round> once(int limit) {
    // 1.
    Policy policy = policies.current();
    List<Long> claimed = new CopyOnWriteArrayList<>();
    return pool.<Round>withTransaction(
            conn ->
                // 2.
                CallQueue.turn(conn)
                    .compose(
                        mine ->
                            mine
                                // 3.
                                ? CallQueue.claim(conn, limit)
                                    .compose(
                                        batch -> {
                                          batch.forEach(e -> claimed.add(e.seq()));
                                          return judge(conn, batch, policy);
                                        })
                                : Future.succeededFuture(Round.BUSY)))
        .recover(e -> Future.failedFuture(new Failed(claimed, e)));
  }

  private Future<Round> judge(SqlConnection conn, List<CallQueue.Entry> batch, Policy policy) {
    if (batch.isEmpty()) {
      return Future.succeededFuture(new Round(0, 0, false));
    }
    // 4.
    return origins(conn, batch)
        .compose(
            judged -> {
              if (judged.isEmpty()) {
                return Future.succeededFuture(new Round(batch.size(), 0, false));
              }
              // 5.
              return BaselineStore.load(conn, judged, policy::findingRule)
                  .compose(
                      history -> {
                        // 6.
                        List<Evaluation.Raised> raised =
                            Evaluation.run(judged, history, policy::findingRule);
                        List<Finding> findings = findings(raised);
                        // 7.
                        return BaselineWrites.save(conn, judged)
                            // 8.
                            .compose(x -> FindingStore.insert(conn, findings))
                            .compose(
                                x ->
                                    outbox.enqueue(
                                        conn, findings.stream().map(FindingChange::new).toList()))
                            .map(new Round(batch.size(), findings.size(), false));
                      });
            });
  }

  /**
   * Each call with whose key made it, from the ledger, or whose Identity Center grant's portal
   * access it is ({@code activity.PortalAccess}); calls of neither, dropped.
   */
  private static Future<List<Judged>> origins(SqlConnection conn, List<CallQueue.Entry> batch) {
    List<String> credentials =
        batch.stream().map(CallQueue.Entry::credentialId).distinct().toList();
    Future<List<LedgerCredential>> minted = Ledger.some(conn, credentials);
    return minted
        .compose(x -> PortalAccess.origins(conn, credentials))
        .map(
            portals -> {
              Map<String, Origin> byId = new HashMap<>();
              for (LedgerCredential c : minted.result()) {
                origin(c.entry()).ifPresent(o -> byId.put(c.entry().id(), o));
              }
              for (PortalAccess.Origin p : portals) {
                byId.putIfAbsent(p.credentialId(), origin(p));
              }
              List<Judged> out = new ArrayList<>();
              for (CallQueue.Entry e : batch) {
                Origin o = byId.get(e.credentialId());
                if (o != null) {
                  out.add(new Judged(e.call(), o));
                }
              }
              return out;
            });
  }

  /** A portal access's calls are its grant's and the person who asked for it; never a lease's. */
  private static Origin origin(PortalAccess.Origin p) {
    return new Origin(
        p.credentialId(),
        p.requestId(),
        p.grantId(),
        Optional.empty(),
        new Origin.Holder(p.holderIssuer(), p.holderSubject()),
        p.profile());
  }

  private static Optional<Origin> origin(LedgerEntry entry) {
    if (entry.basis().grantId().isEmpty() || entry.basis().requestId().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Origin(
            entry.id(),
            entry.basis().requestId().get(),
            entry.basis().grantId().get(),
            entry.basis().leaseId(),
            new Origin.Holder(entry.holder().issuer(), entry.holder().subject()),
            entry.profile()));
  }

  private List<Finding> findings(List<Evaluation.Raised> raised) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    List<Finding> out = new ArrayList<>();
    for (Evaluation.Raised r : raised) {
      Origin o = r.judged().origin();
      out.add(
          new Finding(
              ids.finding(),
              r.hit().rule(),
              r.inForce().severity(),
              r.inForce().mode(),
              o,
              r.hit().events(),
              r.hit().why(),
              now,
              Finding.Action.of(r.inForce(), o),
              Optional.empty()));
    }
    return out;
  }
}
