package dev.stint.access;

import dev.stint.access.Transition.Changed;
import dev.stint.policy.Condition;
import dev.stint.policy.FactValues;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyEvaluator;
import dev.stint.policy.Profile;
import dev.stint.policy.RequestFacts;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of {@code end_when}: the live grants of profiles that have one, each claimed by one
 * replica once per {@code recheck}, their facts looked up about the holder and the request's
 * ticket, and a grant whose condition holds revoked by stint under its row lock, as any revoke is
 * (its effects through the outbox), the facts and the condition on its {@code grant.revoked}.
 */
final class EndWhenSweep {
  private static final Logger LOG = LoggerFactory.getLogger(EndWhenSweep.class);

  /** Grants one round takes at most; the rest wait for the next round. */
  static final int BATCH = 50;

  private final AccessStore store;
  private final AccessAudit audit;
  private final Policy policy;
  private final Supplier<Instant> clock;
  private final Instant now;
  private final Lookups lookups;
  private final Consumer<List<RequestListener.Change>> committed;

  /** How the sweep looks facts up: as any decision of this service does. */
  @FunctionalInterface
  interface Lookups {
    Future<FactValues> about(AccessRequest r, Profile profile);
  }

  EndWhenSweep(
      AccessStore store,
      AccessAudit audit,
      Policy policy,
      Supplier<Instant> clock,
      Lookups lookups,
      Consumer<List<RequestListener.Change>> committed) {
    this.store = store;
    this.audit = audit;
    this.policy = policy;
    this.clock = clock;
    this.now = clock.get();
    this.lookups = lookups;
    this.committed = committed;
  }

  /** Checks the grants due; answers how many it ended. */
  Future<Integer> run(Duration recheck) {
    List<String> profiles =
        policy.profiles().values().stream()
            .filter(p -> p.endWhen().isPresent())
            .map(Profile::name)
            .toList();
    if (profiles.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return store
        .grants()
        .claimEndChecks(profiles, now, now.minus(recheck))
        .compose(ids -> checkAll(ids, 0, 0));
  }

  private Future<Integer> checkAll(List<String> ids, int i, int ended) {
    if (i == ids.size()) {
      return Future.succeededFuture(ended);
    }
    return check(ids.get(i)).compose(e -> checkAll(ids, i + 1, ended + (e ? 1 : 0)));
  }

  private Future<Boolean> check(String id) {
    return store
        .find(id)
        .compose(
            found -> {
              Optional<Profile> profile = found.flatMap(r -> policy.profile(r.profile()));
              if (found.isEmpty() || profile.isEmpty() || profile.get().endWhen().isEmpty()) {
                return Future.succeededFuture(false);
              }
              AccessRequest r = found.get();
              return lookups
                  .about(r, profile.get())
                  .compose(facts -> endIfTrue(r, profile.get(), facts));
            });
  }

  private Future<Boolean> endIfTrue(AccessRequest r, Profile profile, FactValues facts) {
    Optional<String> unknown = facts.failure(profile.endNeeds());
    if (unknown.isPresent()) {
      // A fact that could not be looked up decides nothing here: an outage (a negated fact, such
      // as !oncall(...)) would otherwise end every grant of the profile at once.
      LOG.warn(
          "end_when of request {} not decided, checked again later: {}", r.id(), unknown.get());
      return Future.succeededFuture(false);
    }
    RequestFacts asked =
        new RequestFacts(r.duration(), Optional.of(r.reason()), r.ticket(), r.breakGlass(), facts);
    Condition.Evaluation ends =
        new PolicyEvaluator(policy).endsNow(r.requester(), profile, asked, now);
    if (!ends.value()) {
      ends.error()
          .ifPresent(e -> LOG.warn("end_when of request {} could not be evaluated: {}", r.id(), e));
      return Future.succeededFuture(false);
    }
    String why =
        "end_when of profile '" + profile.name() + "' holds: " + facts.describe(facts.held());
    // The time of the revoke, not of the round: a round waits on lookups, and a grant that ended
    // in the meantime is then refused as ended rather than recorded as revoked.
    Instant at = clock.get();
    Act act = new Act(Act.SYSTEM, at, Optional.of(why));
    return store
        .updateAll(
            List.of(r.id()),
            current -> {
              Transition outcome = RequestMachine.revoke(current.get(0), act, true);
              return audit
                  .endedWhen(current.get(0), outcome, profile.endWhen().get(), facts, why)
                  .map(List.of(outcome));
            },
            changed -> List.of(RequestListener.Change.of(changed, Act.SYSTEM, act.comment(), at)))
        .map(
            outcomes -> {
              if (outcomes.get(0) instanceof Changed changed) {
                committed.accept(
                    List.of(RequestListener.Change.of(changed, Act.SYSTEM, act.comment(), at)));
                return true;
              }
              return false;
            });
  }
}
