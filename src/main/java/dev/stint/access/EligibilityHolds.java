package dev.stint.access;

import dev.stint.identity.Person;
import dev.stint.policy.LeaseRights;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a person's eligibility for a profile is suspended (an access review removed them), asked
 * inside the transaction that files their request, so a removal and a request never pass each
 * other: the implementation takes the person's turn for the profile, which the removal's own
 * transaction also takes, before it reads. {@code review} implements it; {@code access} only asks.
 */
public interface EligibilityHolds {
  /** A suspension: the review whose removal made it, and when. */
  record Hold(String reviewId, Instant since) {
    /** The suspension as the policy's filing rule reads it ({@code FilingRights#mayFile}). */
    public LeaseRights.Suspension suspension() {
      return new LeaseRights.Suspension(reviewId, since);
    }
  }

  /** In {@code conn}'s transaction, in {@code person}'s turn for {@code profile}: their hold. */
  Future<Optional<Hold>> held(SqlConnection conn, Person person, String profile);

  /** Nobody is held: for stores that file no person's request. */
  EligibilityHolds NONE = (conn, person, profile) -> Future.succeededFuture(Optional.empty());
}
