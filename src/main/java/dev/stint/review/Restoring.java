package dev.stint.review;

import dev.stint.access.Caller;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import dev.stint.policy.Decision;
import dev.stint.policy.PolicyEvaluator;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.ReviewRights;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * An admin lifting a review's suspension ({@code POST /v1/eligibility/restore}): the person may
 * request the profile again, as the policy in force says, and {@code eligibility.restored} records
 * who lifted it. Only a suspension is lifted: nothing it ended comes back. Nobody lifts their own
 * ({@link ReviewRights#mayRestore}): asked with the person as named before anything is read, then
 * in their turn with the person as the suspending review listed them, before anything is written.
 */
final class Restoring {
  private final Pool pool;
  private final PolicyInForce policies;
  private final ReviewAudit audit;
  private final Clock clock;

  Restoring(ReviewParts parts) {
    this.pool = parts.pool();
    this.policies = parts.policies();
    this.audit = parts.audit();
    this.clock = parts.clock();
  }

  /** Lifts {@code person}'s suspension from {@code profile}, if {@code caller} may. */
  Future<Restored> restore(Caller caller, String profile, Person person) {
    Instant now = clock.instant();
    ReviewRights may =
        new PolicyEvaluator(policies.current()).reviewRights(caller.principal(), now);
    Decision named = may.mayRestore(person);
    if (!named.allowed()) {
      return Future.failedFuture(named.refusal());
    }
    return pool.withTransaction(
        conn ->
            Suspensions.listed(conn, person, profile)
                .compose(
                    found -> {
                      if (found.isEmpty()) {
                        return Future.failedFuture(
                            StintException.notFound(
                                person.subject()
                                    + " of "
                                    + person.issuer()
                                    + " is not suspended from profile "
                                    + profile));
                      }
                      Decision listed = may.mayRestore(found.get().person());
                      return listed.allowed()
                          ? lift(conn, caller, profile, found.get().person(), now)
                          : Future.failedFuture(listed.refusal());
                    }));
  }

  /** In the person's turn, which {@link Suspensions#listed} took: the hold it found, lifted. */
  private Future<Restored> lift(
      SqlConnection conn, Caller caller, String profile, Person person, Instant now) {
    Suspensions.Lifter by = new Suspensions.Lifter(Optional.of(caller.person()), Optional.empty());
    return Suspensions.restore(conn, person, profile, by, now)
        .map(Optional::orElseThrow)
        .compose(
            hold ->
                audit
                    .restored(
                        Optional.of(caller), profile, person, hold.reviewId(), Optional.empty())
                    .map(x -> new Restored(profile, person, hold, now)));
  }
}
