package dev.stint.assignment;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.Grant;
import dev.stint.access.RequestListener.Change;
import dev.stint.mint.Assigner;
import dev.stint.mint.Assigner.State;
import dev.stint.mint.Assigner.Step;
import dev.stint.mint.Assigner.User;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * A grant's account assignment, made when the grant starts and deleted when it ends, from what was
 * recorded in {@code identity_center_assignments} (never from today's policy). Making it:
 *
 * <ol>
 *   <li>read where it goes and the person's user name (their verified email), recorded with the
 *       approval; a repeated delivery resumes from the row;
 *   <li>find their Identity Center user; none: the assignment {@code failed}, nothing assigned;
 *   <li>an assignment the user already holds is not made again: stint owns it only when a live
 *       stint grant does (overlapping grants) or this grant had already asked for it (a delivery
 *       cut short after AWS made it), never one someone else made;
 *   <li>a permission set that does not reference stint's portal revocation policy is refused: a
 *       revoke could not end its sessions, so the assignment {@code failed}, nothing assigned;
 *   <li>record that stint is asking (so a failure after AWS made it still leaves it stint's to
 *       delete), create it, record AWS's request id, and poll until AWS reports it done.
 * </ol>
 *
 * <p>Deleting it: a grant that never held one, or one whose assignment is not stint's, deletes
 * nothing (one stint asked for but whose creation was cut short is stint's: the end waits while AWS
 * is still making it, and finds nothing to delete when AWS never got the call); while another live
 * grant of the same user holds it, it stays (ownership passes to that grant); otherwise it is
 * deleted and polled until AWS reports it gone.
 */
final class AssignmentWork {
  private final AssignmentStore store;
  private final Assigner assigner;
  private final Polls polls;
  private final AssignmentEvents events;
  private final AssignmentFailures failures;
  private final Clock clock;

  AssignmentWork(
      AssignmentStore store,
      Assigner assigner,
      Polls polls,
      AssignmentEvents events,
      AssignmentFailures failures,
      Clock clock) {
    this.store = store;
    this.assigner = assigner;
    this.polls = polls;
    this.events = events;
    this.failures = failures;
    this.clock = clock;
  }

  Future<Void> create(Change change) {
    Grant grant = change.request().grant().orElseThrow();
    Instant now = clock.instant();
    if (change.request().state() != RequestState.APPROVED || !now.isBefore(grant.endsAt())) {
      // Ended (revoked, expired) before its assignment was made: there is nothing to make.
      return Future.succeededFuture();
    }
    if (now.isBefore(grant.startsAt())) {
      // The outbox tries again later; the assignment is made once the window opens.
      return Future.failedFuture("the grant starts at " + grant.startsAt());
    }
    // 1. Where, and for whom: as the approval recorded it.
    return store
        .find(grant.id())
        .compose(
            found -> {
              if (found.isEmpty() || found.get().state() != AssignmentState.CREATING) {
                return Future.succeededFuture();
              }
              AssignmentRow row = found.get();
              if (row.failing()) {
                // Decided and told already; its event was not recorded yet.
                return settleFailure(change, row, row.reason().get());
              }
              if (row.userName().isEmpty()) {
                return failed(
                    change, row, "the person has no verified email to find their user by");
              }
              // 2. The user.
              return user(row)
                  .compose(
                      user ->
                          user.isEmpty()
                              ? failed(
                                  change,
                                  row,
                                  "no IAM Identity Center user named "
                                      + row.userName().get()
                                      + " in "
                                      + row.at().identityStoreId())
                              : assign(change, withUser(row, user.get())));
            });
  }

  private Future<Optional<User>> user(AssignmentRow row) {
    if (row.userId().isPresent()) {
      return Future.succeededFuture(
          Optional.of(new User(row.userId().get(), row.userName().get())));
    }
    return polls.until(() -> assigner.user(row.at(), row.userName().get()), x -> true);
  }

  private Future<Void> assign(Change change, AssignmentRow row) {
    if (row.requestToken().isPresent()) {
      return awaitCreation(change, row, row.requestToken().get());
    }
    String user = row.userId().orElseThrow();
    // 3. Held already: by a live stint grant (shared, stint's), or by someone else (never stint's).
    return polls
        .until(() -> assigner.assigned(row.at(), user), x -> true)
        .compose(
            held ->
                !held
                    ? makeIfRevocable(change, row)
                    : store
                        .othersLive(row)
                        .compose(
                            others -> {
                              // Marked as asked before: AWS made it and the delivery was cut
                              // short before the request id was saved. It is stint's to delete.
                              boolean stints =
                                  row.stintCreated()
                                      || others.stream().anyMatch(AssignmentRow::stintCreated);
                              AssignmentRow done = next(row, AssignmentState.CREATED, stints, null);
                              return events.created(change, done, false);
                            }));
  }

  /**
   * An assignment whose sessions a revoke could not end is not made: its permission set must have
   * the cloud attach the policy stint's deny is written to. It fails as a missing user does, with
   * nothing assigned. One stint asked for already (a delivery cut short) was checked then.
   */
  private Future<Void> makeIfRevocable(Change change, AssignmentRow row) {
    if (row.stintCreated()) {
      return make(change, row);
    }
    return polls
        .until(() -> assigner.unrevocable(row.at()), x -> true)
        .compose(why -> why.isPresent() ? failed(change, row, why.get()) : make(change, row));
  }

  // 4. Mark it stint's before asking, create, record AWS's request id, and wait for it.
  private Future<Void> make(Change change, AssignmentRow row) {
    AssignmentRow asking = next(row, AssignmentState.CREATING, true, null);
    return store
        .save(asking, clock.instant())
        .compose(
            x ->
                polls.until(() -> assigner.create(row.at(), row.userId().orElseThrow()), y -> true))
        .compose(
            step -> {
              AssignmentRow asked =
                  new AssignmentRow(
                      row.grantId(),
                      row.requestId(),
                      row.at(),
                      row.userName(),
                      row.userId(),
                      AssignmentState.CREATING,
                      true,
                      Optional.of(step.requestId()),
                      Optional.empty());
              return store
                  .save(asked, clock.instant())
                  .compose(x -> awaitCreation(change, asked, step.requestId()));
            });
  }

  private Future<Void> awaitCreation(Change change, AssignmentRow row, String requestId) {
    return polls
        .until(() -> assigner.creation(row.at(), requestId), s -> s.state() != State.IN_PROGRESS)
        .compose(
            step -> {
              if (step.state() == State.FAILED) {
                return failed(change, row, "AWS did not create the assignment: " + reason(step));
              }
              return events.created(change, next(row, AssignmentState.CREATED, true, null), true);
            });
  }

  Future<Void> delete(Change change) {
    Grant grant = change.request().grant().orElseThrow();
    return store
        .find(grant.id())
        .compose(
            found -> {
              if (found.isEmpty()
                  || found.get().state() == AssignmentState.DELETED
                  || found.get().state() == AssignmentState.FAILED) {
                return Future.succeededFuture();
              }
              AssignmentRow row = found.get();
              if (row.failing()) {
                // Nothing was made: the failure is recorded, and there is nothing to delete.
                return settleFailure(change, row, row.reason().get());
              }
              if (row.state() == AssignmentState.CREATING && row.requestToken().isPresent()) {
                // A creation still in progress is seen through first, so what it made is removed.
                return awaitCreation(change, row, row.requestToken().get())
                    .compose(x -> store.find(grant.id()))
                    .compose(again -> unassign(change, again.orElseThrow()));
              }
              return unassign(change, row);
            });
  }

  private Future<Void> unassign(Change change, AssignmentRow row) {
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
    if (row.state() == AssignmentState.DELETING && row.requestToken().isPresent()) {
      return awaitDeletion(change, row, row.requestToken().get());
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
        .until(() -> assigner.creating(row.at(), user), creating -> !creating)
        .compose(x -> polls.until(() -> assigner.assigned(row.at(), user), y -> true))
        .compose(
            held ->
                held
                    ? release(change, next(row, AssignmentState.CREATED, true, null))
                    : kept(
                        change,
                        row,
                        "AWS never made the assignment stint asked for: nothing to delete",
                        true));
  }

  // Delete it unless another live grant of the same person holds it or stint did not make it.
  private Future<Void> release(Change change, AssignmentRow row) {
    return store
        .othersLive(row)
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
              return polls
                  .until(() -> assigner.delete(row.at(), row.userId().get()), x -> true)
                  .compose(
                      step -> {
                        AssignmentRow asked =
                            new AssignmentRow(
                                row.grantId(),
                                row.requestId(),
                                row.at(),
                                row.userName(),
                                row.userId(),
                                AssignmentState.DELETING,
                                true,
                                Optional.of(step.requestId()),
                                Optional.empty());
                        return store
                            .save(asked, clock.instant())
                            .compose(x -> awaitDeletion(change, asked, step.requestId()));
                      });
            });
  }

  private Future<Void> awaitDeletion(Change change, AssignmentRow row, String requestId) {
    return polls
        .until(() -> assigner.deletion(row.at(), requestId), s -> s.state() != State.IN_PROGRESS)
        .compose(
            step -> {
              if (step.state() == State.FAILED) {
                // Left deleting: the outbox asks again, and an alarm follows if it never can.
                return Future.failedFuture("AWS did not delete the assignment: " + reason(step));
              }
              AssignmentRow done = next(row, AssignmentState.DELETED, true, null);
              return events.deleted(change, done, "account assignment deleted", true);
            });
  }

  private Future<Void> kept(Change change, AssignmentRow row, String why, boolean stints) {
    return events.deleted(change, next(row, AssignmentState.DELETED, stints, why), why, false);
  }

  /** Told first, with the reason kept on the row; then recorded as failed with its event. */
  private Future<Void> failed(Change change, AssignmentRow row, String why) {
    return failures.failing(change, row, why).compose(x -> settleFailure(change, row, why));
  }

  private Future<Void> settleFailure(Change change, AssignmentRow row, String why) {
    AssignmentRow done = next(row, AssignmentState.FAILED, row.stintCreated(), why);
    return events.failed(change, done, why);
  }

  /** The user found, named from now on as the directory writes the name. */
  private static AssignmentRow withUser(AssignmentRow r, User user) {
    return new AssignmentRow(
        r.grantId(),
        r.requestId(),
        r.at(),
        Optional.of(user.userName()),
        Optional.of(user.id()),
        r.state(),
        r.stintCreated(),
        r.requestToken(),
        r.reason());
  }

  private static AssignmentRow next(
      AssignmentRow r, AssignmentState state, boolean stintCreated, String why) {
    return new AssignmentRow(
        r.grantId(),
        r.requestId(),
        r.at(),
        r.userName(),
        r.userId(),
        state,
        stintCreated,
        Optional.empty(),
        Optional.ofNullable(why));
  }

  private static String reason(Step step) {
    return step.reason().orElse("no reason given");
  }
}
