package dev.stint.assignment;

import dev.stint.access.RequestListener.Change;
import dev.stint.cloud.AccountAssignment;
import dev.stint.outbox.DurableListener;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.Profile;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.Set;

/**
 * Makes and deletes the account assignment of each grant of an {@code identity_center} profile,
 * through the outbox: the work is written with the approval, the revoke or the expiry, and
 * delivered until done across restarts and replicas ({@link AssignmentWork} resumes from its row).
 * One person's deliveries take turns across replicas, so two overlapping grants of one user never
 * decide at once who holds the assignment.
 */
public final class AssignmentListener implements DurableListener<Change> {
  /** The outbox name of this listener's rows. */
  public static final String NAME = "identity_center.assignment";

  private static final Set<String> ENDS = Set.of("grant.revoked", "grant.expired");

  private final PolicyInForce policies;
  private final AssignmentWork work;

  AssignmentListener(PolicyInForce policies, AssignmentWork work) {
    this.policies = policies;
    this.work = work;
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * An approval of a profile the policy in force names as an assignment; an end of such a profile's
   * grant, or of a profile the policy no longer names (its grants' rows say what was made: an end
   * of a grant that has none does nothing).
   */
  @Override
  public boolean wants(Change change) {
    if (change.request().grant().isEmpty()) {
      return false;
    }
    Optional<Profile> profile = policies.current().profile(change.profile());
    if (change.event().equals("request.approved")) {
      return profile.flatMap(p -> p.target().assignment()).isPresent();
    }
    return ENDS.contains(change.event())
        && profile.map(p -> p.target().assignment().isPresent()).orElse(true);
  }

  @Override
  public Optional<String> turn(Change change) {
    var holder = change.request().requester();
    return Optional.of("assignment:" + holder.issuer() + "|" + holder.subject());
  }

  @Override
  public Future<Void> deliver(Change change, Delivery delivery) {
    if (ENDS.contains(change.event())) {
      return work.delete(change);
    }
    Optional<AccountAssignment> at =
        policies.current().profile(change.profile()).flatMap(p -> p.target().assignment());
    if (at.isEmpty()) {
      // The profile left the policy (or names a role now) before its grant's assignment was made.
      return Future.succeededFuture();
    }
    return work.create(change, at.get());
  }
}
