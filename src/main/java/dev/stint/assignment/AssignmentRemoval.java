package dev.stint.assignment;

import dev.stint.access.RequestListener.Change;
import dev.stint.error.ErrorCode;
import dev.stint.mint.Assigner;
import dev.stint.mint.Assigner.State;
import dev.stint.mint.MintException;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A grant's assignment at the grant's end (expiry or revoke), from its row, each call to the region
 * and endpoints the row recorded. A grant that never held one, or one whose assignment is not
 * stint's, deletes nothing; one stint asked for but whose creation was cut short before AWS's
 * request id was saved is stint's: the end waits while AWS is still making it, and finds nothing to
 * delete when AWS never got the call. While another live grant of the same person's user holds it,
 * it stays (ownership passes to that grant); otherwise it is marked deleting, deleted and polled
 * until AWS reports it gone, and only then, once the user's portal sessions taken until then are
 * denied ({@link PortalRoles#atDeletion}), settled deleted. A deletion once begun is seen through.
 * Deliveries about one user take turns, so a creation decided before the end (a revoke delivered
 * while it was in progress found nothing to deny) is finished before this reads the row.
 */
final class AssignmentRemoval {
  /**
   * How far past stint's confirmation of a deletion the user's sessions are denied: AWS may hand
   * out a portal session for a moment after it reports the deletion done (its services learn of it
   * eventually), and a session's issue time is AWS's clock, not stint's. A session the user takes
   * on a new assignment within it is refused, and taking another after it works.
   */
  static final Duration SETTLING = Duration.ofMinutes(1);

  /** What the alarm and the audit say of a deletion AWS failed; its own words go to the log. */
  static final String DELETION_FAILED =
      "AWS did not delete the account assignment (its deletion status is "
          + State.FAILED
          + "): an operator finds AWS's reason in the server log";

  private static final Logger LOG = LoggerFactory.getLogger(AssignmentRemoval.class);

  private final AssignmentStore store;
  private final Assigner assigner;
  private final Polls polls;
  private final AssignmentEvents events;
  private final PortalRoles portals;
  private final Clock clock;

  AssignmentRemoval(
      AssignmentStore store,
      Assigner assigner,
      Polls polls,
      AssignmentEvents events,
      PortalRoles portals,
      Clock clock) {
    this.store = store;
    this.portals = portals;
    this.assigner = assigner;
    this.polls = polls;
    this.events = events;
    this.clock = clock;
  }

  /** Ends {@code row}'s assignment, its creation (if any was in progress) seen through before. */
  Future<Void> unassign(Change change, AssignmentRow row) {
    if (row.state() == AssignmentState.FAILED || row.state() == AssignmentState.DELETED) {
      return Future.succeededFuture();
    }
    if (row.userId().isEmpty()
        || (row.state() == AssignmentState.CREATING && !row.stintCreated())) {
      return kept(change, row, "no assignment was made for the grant", row.stintCreated());
    }
    if (row.state() == AssignmentState.CREATING) {
      return cutShort(change, row);
    }
    if (row.state() == AssignmentState.DELETING) {
      // Once begun, a deletion is seen through, whatever grants have started since (they wait).
      return row.requestToken().isPresent()
          ? denyUntilNow(change, row)
              .compose(x -> awaitDeletion(change, row, row.requestToken().get()))
          : polls
              .until(() -> in(row).assigned(row.at(), row.userId().get()), y -> true)
              // Not listed: AWS took the deletion before the delivery was cut short, and
              // finished. Listed: asked again, its deny before it.
              .compose(held -> held ? remove(change, row, true) : gone(change, row));
    }
    return release(change, row);
  }

  /**
   * Stint asked AWS to make it and the delivery was cut short before AWS's request id was saved:
   * AWS made it (stint's to delete), is still making it (what it finishes must not stay: the end
   * waits, and fails for the outbox to retry while it lasts), or never got the call (nothing to
   * delete). Creations in progress are read before the listing, so one that finishes in between is
   * listed.
   */
  private Future<Void> cutShort(Change change, AssignmentRow row) {
    String user = row.userId().orElseThrow();
    return polls
        .until(() -> in(row).creating(row.at(), user), creating -> !creating)
        .compose(x -> polls.until(() -> in(row).assigned(row.at(), user), y -> true))
        .compose(
            held ->
                held
                    ? release(change, row.next(AssignmentState.CREATED, true, null))
                    : kept(
                        change,
                        row,
                        "AWS never made the assignment stint asked for: nothing to delete",
                        true));
  }

  // Delete it unless another live grant of the same person holds it or stint did not make it.
  private Future<Void> release(Change change, AssignmentRow row) {
    return store
        .othersHolding(row)
        .compose(
            others -> {
              if (!others.isEmpty()) {
                Future<Void> shared =
                    row.stintCreated()
                        ? store.share(row, clock.instant())
                        : Future.succeededFuture();
                return shared.compose(
                    x ->
                        kept(
                            change,
                            row,
                            "kept: another grant of the same person holds the assignment",
                            row.stintCreated()));
              }
              if (!row.stintCreated()) {
                return kept(change, row, "kept: stint did not create this assignment", false);
              }
              return remove(change, row, false);
            });
  }

  /**
   * Marks it being deleted before asking AWS (a delivery cut short after AWS took the deletion
   * still finds it deleting, and a grant starting meanwhile waits for it), on a later attempt
   * ({@code again}) denies the user's sessions taken until now, deletes it, records AWS's request
   * id, and waits for it.
   */
  private Future<Void> remove(Change change, AssignmentRow row, boolean again) {
    return store
        .save(row.next(AssignmentState.DELETING, true, null), clock.instant())
        .compose(x -> again ? denyUntilNow(change, row) : Future.<Void>succeededFuture())
        .compose(
            marked ->
                polls
                    .until(() -> in(row).delete(row.at(), row.userId().get()), x -> true)
                    .compose(
                        step -> {
                          AssignmentRow asked =
                              row.asked(AssignmentState.DELETING, step.requestId());
                          return store
                              .save(asked, clock.instant())
                              .compose(x -> awaitDeletion(change, asked, step.requestId()));
                        }));
  }

  private Future<Void> awaitDeletion(Change change, AssignmentRow row, String requestId) {
    return polls
        .until(() -> in(row).deletion(row.at(), requestId), s -> s.state() != State.IN_PROGRESS)
        .compose(
            step -> {
              if (step.state() == State.FAILED) {
                // Left deleting, with AWS's failed request forgotten: the outbox asks again, never
                // giving up, and the next attempt asks AWS for a new deletion (the failed one
                // would answer the same for ever); the first such refusal raises the alarm. AWS's
                // own words may name ids and accounts: they go to the server log, and the alarm
                // and the audit get a fixed sentence.
                LOG.warn(
                    "AWS did not delete the account assignment of grant {}: {}",
                    row.grantId(),
                    step.reason().orElse("no reason given"));
                return store
                    .save(row.next(AssignmentState.DELETING, true, null), clock.instant())
                    .compose(
                        x ->
                            Future.failedFuture(
                                new MintException(
                                    ErrorCode.INTERNAL, DELETION_FAILED, false, null)));
              }
              return gone(change, row);
            });
  }

  /**
   * The ended grant's user's portal sessions of the role issued until now are denied before each
   * attempt at the deletion after the first, so that while AWS keeps failing it (each attempt an
   * outbox retry, the longest an hour apart, never given up) a session taken after the end lives
   * only until the next attempt; the first attempt's deletion is usually confirmed within seconds,
   * and {@link #gone}'s deny covers it. A deny not written here does not hold the deletion up: the
   * one at {@link #gone} does.
   */
  private Future<Void> denyUntilNow(Change change, AssignmentRow row) {
    return portals
        .atDeletion(change.request().id(), row, clock.instant())
        .<Void>mapEmpty()
        .recover(
            e -> {
              LOG.warn(
                  "grant {}: the deny of its portal sessions before the deletion was not written"
                      + " ({}); the deletion goes on, and its own deny follows",
                  row.grantId(),
                  e.getMessage());
              return Future.succeededFuture();
            });
  }

  /**
   * AWS has deleted it: before the row settles, the user's portal sessions of the role issued
   * before now (and {@link #SETTLING}) are denied, whether the grant was revoked or expired, so
   * none taken while the assignment lasted outlives it. A deny not written fails the delivery with
   * the row still deleting, so the outbox's next one comes back here (a cutoff moves only forward).
   */
  private Future<Void> gone(Change change, AssignmentRow row) {
    AssignmentRow done = row.next(AssignmentState.DELETED, true, null);
    Instant before = clock.instant().plus(SETTLING);
    return portals
        .atDeletion(change.request().id(), row, before)
        .compose(
            denied ->
                events.deleted(
                    change,
                    done,
                    denied
                        ? "account assignment deleted; the user's portal sessions of the"
                            + " permission set's role issued before "
                            + before
                            + " are denied"
                        : "account assignment deleted; the account no longer holds the permission"
                            + " set's role, so its portal sessions ended with it",
                    true,
                    denied ? Optional.of(before) : Optional.empty()));
  }

  private Future<Void> kept(Change change, AssignmentRow row, String why, boolean stints) {
    return events.deleted(
        change, row.next(AssignmentState.DELETED, stints, why), why, false, Optional.empty());
  }

  /** The assigner reaching where the row's assignment was made, whatever today's config says. */
  private Assigner in(AssignmentRow row) {
    return assigner.at(row.endpoints());
  }
}
