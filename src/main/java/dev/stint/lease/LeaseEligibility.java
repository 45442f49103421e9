package dev.stint.lease;

import dev.stint.access.Grants;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import dev.stint.policy.Decision;
import dev.stint.policy.LeaseRights;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Whether the people a task lease names may still use it: neither its holder (the grant's) nor the
 * agent it names suspended from its profile by an access review. A review's removal ends the
 * removed person's own grants, and their leases with them, but a lease that names them as its agent
 * is someone else's grant's: so this is asked when a lease is made and again at every mint, each
 * person read afresh in their turn for the profile ({@link Grants#held}). A read that fails
 * refuses, as unavailable: nobody mints on what could not be checked.
 */
final class LeaseEligibility {
  private final Grants grants;

  LeaseEligibility(Grants grants) {
    this.grants = grants;
  }

  /**
   * Succeeds only if neither {@code holder} nor {@code agent} is suspended from {@code profile}.
   */
  Future<Void> require(Person holder, Optional<Person> agent, String profile) {
    Future<Void> holderFree = free("holder", holder, profile);
    return agent.map(a -> holderFree.compose(x -> free("agent", a, profile))).orElse(holderFree);
  }

  private Future<Void> free(String role, Person person, String profile) {
    String who = "the lease's " + role + " " + person.subject() + " of " + person.issuer();
    return grants
        .held(person, profile)
        .recover(
            e ->
                Future.failedFuture(
                    new StintException(
                        ErrorCode.UNAVAILABLE,
                        "whether "
                            + who
                            + " is suspended from profile "
                            + profile
                            + " could not be read; try again",
                        e)))
        .compose(
            hold -> {
              Decision may =
                  LeaseRights.mayUse(
                      role,
                      person,
                      profile,
                      hold.map(h -> new LeaseRights.Suspension(h.reviewId(), h.since())));
              return may.allowed()
                  ? Future.<Void>succeededFuture()
                  : Future.failedFuture(may.refusal());
            });
  }
}
