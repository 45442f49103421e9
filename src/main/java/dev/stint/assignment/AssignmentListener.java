package dev.stint.assignment;

import dev.stint.access.Grant;
import dev.stint.access.RequestListener.Change;
import dev.stint.cloud.AccountAssignment;
import dev.stint.identity.Person;
import dev.stint.mint.Assigner.Endpoints;
import dev.stint.outbox.DurableListener;
import dev.stint.policy.PolicyInForce;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Makes and deletes the account assignment of each grant of an {@code identity_center} profile,
 * through the outbox: the work is written with the approval (or break-glass use), the revoke or the
 * expiry, and delivered until done across restarts and replicas ({@link AssignmentWork} resumes
 * from its row; an end is never given up, {@link #mayGiveUp}, and one whose row was lost is queued
 * again by {@link AssignmentReconciler}); AWS's lasting refusal raises the alarm once ({@link
 * AssignmentRefusals}). Where the assignment goes is recorded in the approval's own transaction,
 * from the policy in force when it commits; every delivery after acts on that row alone, so a
 * policy changed since (another permission set, a role, the profile gone) neither moves nor keeps a
 * grant's assignment. Deliveries about one directory user take turns across replicas ({@link
 * #turn}), so two grants of one user never decide at once who holds the assignment.
 */
public final class AssignmentListener implements DurableListener<Change> {
  /** The outbox name of this listener's rows. */
  public static final String NAME = "identity_center.assignment";

  /**
   * A grant's start: its approval, or a break-glass filing's use, whose grant is active at once
   * (its filing's {@code request.created} is not the start: it comes with one of these).
   */
  private static final Set<String> STARTS = Set.of("request.approved", "break_glass.used");

  private static final Set<String> ENDS = Set.of("grant.revoked", "grant.expired");

  private final PolicyInForce policies;
  private final Endpoints endpoints;
  private final AssignmentStore store;
  private final AssignmentWork work;
  private final AssignmentRefusals refusals;

  /**
   * @param endpoints where the instance's APIs are reached now, recorded with each grant that
   *     starts so that all of its assignment's calls go there
   */
  AssignmentListener(
      PolicyInForce policies,
      Endpoints endpoints,
      AssignmentStore store,
      AssignmentWork work,
      AssignmentRefusals refusals) {
    this.policies = policies;
    this.endpoints = endpoints;
    this.store = store;
    this.work = work;
    this.refusals = refusals;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** A grant's start or end, of any profile: {@link #record} tells which are assignments. */
  @Override
  public boolean wants(Change change) {
    return change.request().grant().isPresent()
        && (STARTS.contains(change.event()) || ENDS.contains(change.event()));
  }

  /**
   * A start (approval or break-glass use) of a profile the policy in force names as an assignment
   * records where it goes and for whom; an end is work only for a grant with such a record,
   * whatever the policy says now, and is stamped on it here, in the revoke's or expiry's own
   * transaction, so a revocation delivered before the deletion (of this grant or another of the
   * person's ended with it) never counts it as holding the assignment.
   */
  @Override
  public Future<Boolean> record(SqlClient conn, Change change) {
    Grant grant = change.request().grant().orElseThrow();
    if (ENDS.contains(change.event())) {
      return store.ending(conn, grant.id(), change.at());
    }
    Optional<AccountAssignment> at =
        policies.current().profile(change.profile()).flatMap(p -> p.target().assignment());
    if (at.isEmpty()) {
      return Future.succeededFuture(false);
    }
    return store
        .record(conn, grant, at.get(), endpoints, grant.holder().email().orElse(null), change.at())
        .map(true);
  }

  /**
   * A start's assignment is made at the grant's start: the outbox holds a grant scheduled ahead
   * until then, however far ahead (rather than trying it, and giving up, before).
   */
  @Override
  public Optional<Instant> notBefore(Change change) {
    return STARTS.contains(change.event())
        ? change.request().grant().map(Grant::startsAt)
        : Optional.empty();
  }

  /**
   * Deliveries about one directory user take turns across replicas, so two grants that would hold
   * the same user's assignment (one person's overlapping grants, or two people whose emails name
   * one user) never decide at once: the user is found by the holder's email, which the directory
   * matches by ASCII case, so the turn is the email in lower case. Without an email, the person's
   * (nothing is assigned without one).
   */
  @Override
  public Optional<String> turn(Change change) {
    Person holder =
        change.request().grant().map(Grant::holder).orElse(change.request().requester());
    return Optional.of(
        holder
            .email()
            .map(email -> "assignment-user:" + email.toLowerCase(Locale.ROOT))
            .orElse("assignment:" + holder.issuer() + "|" + holder.subject()));
  }

  /**
   * A grant's end is never given up on: past {@code outbox.give_up_after} its deletion is retried
   * at the outbox's longest backoff for as long as it takes, or the person would keep the
   * permission set in the account. A start may be given up on (nothing is left assigned that the
   * end does not delete).
   */
  @Override
  public boolean mayGiveUp(Change change) {
    return !ENDS.contains(change.event());
  }

  /**
   * A lasting refusal ({@link AssignmentRefusals#lasting}) is recorded and alarmed the first time,
   * and the delivery still fails: the outbox retries it (a deletion for as long as it takes), so
   * fixing stint's rights is enough for the work to finish.
   */
  @Override
  public Future<Void> deliver(Change change, Delivery delivery) {
    boolean end = ENDS.contains(change.event());
    return (end ? work.delete(change) : work.create(change))
        .recover(
            e ->
                AssignmentRefusals.lasting(e)
                    ? refusals
                        .refused(change, AssignmentRefusals.stage(end), AssignmentRefusals.why(e))
                        .transform(x -> Future.<Void>failedFuture(e))
                    : Future.failedFuture(e));
  }

  /**
   * A delivery still failing once the outbox's patience has run out (a throttle or conflict that
   * lasts) is a lasting refusal too: alarmed once, as the outbox gives up on a start or keeps
   * retrying an end.
   */
  @Override
  public Future<Void> failed(Change change, Delivery delivery, String why, boolean last) {
    if (!last) {
      return Future.succeededFuture();
    }
    boolean end = ENDS.contains(change.event());
    return refusals.refused(
        change, AssignmentRefusals.stage(end), "still failing after outbox.give_up_after: " + why);
  }
}
