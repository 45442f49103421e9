package dev.stint.review;

import dev.stint.access.Caller;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * An admin lifting a review's suspension ({@code POST /v1/eligibility/restore}): the person may
 * request the profile again, as the policy in force says, and {@code eligibility.restored} records
 * who lifted it. Only a suspension is lifted: nothing it ended comes back.
 */
final class Restoring {
  private final Pool pool;
  private final ReviewAudit audit;
  private final Clock clock;

  Restoring(Reviews.Parts parts) {
    this.pool = parts.pool();
    this.audit = parts.audit();
    this.clock = parts.clock();
  }

  /** Lifts {@code person}'s suspension from {@code profile}, by admin {@code caller}. */
  Future<Reviews.Restored> restore(Caller caller, String profile, Person person) {
    Instant now = clock.instant();
    return pool.withTransaction(
        conn ->
            Suspensions.restore(
                    conn,
                    person,
                    profile,
                    new Suspensions.Lifter(Optional.of(caller.person()), Optional.empty()),
                    now)
                .compose(
                    lifted ->
                        lifted.isEmpty()
                            ? Future.failedFuture(
                                StintException.notFound(
                                    person.subject()
                                        + " of "
                                        + person.issuer()
                                        + " is not suspended from profile "
                                        + profile))
                            : audit
                                .restored(
                                    Optional.of(caller),
                                    profile,
                                    person,
                                    lifted.get().reviewId(),
                                    Optional.empty())
                                .map(
                                    x ->
                                        new Reviews.Restored(profile, person, lifted.get(), now))));
  }
}
