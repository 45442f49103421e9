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
 *   <li>a user another person's live grant holds: {@code failed} ({@link UserClaims}); a deletion
 *       of the same assignment still under way in AWS: waited for (the delivery fails, to be asked
 *       again);
 *   <li>an assignment the user already holds is not made again: stint owns it only when a live
 *       stint grant does (overlapping grants) or this grant had already asked for it (a delivery
 *       cut short after AWS made it), never one someone else made;
 *   <li>record that stint is asking (so a failure after AWS made it still leaves it stint's to
 *       delete), create it, record AWS's request id, and poll until AWS reports it done.
 * </ol>
 *
 * <p>Deleting it: a grant that never held one, or one whose assignment is not stint's, deletes
 * nothing (one stint asked for but whose creation was cut short is stint's, and the end waits until
 * AWS lists it: a creation still in progress is not listed yet); while another live grant of the
 * same person's user holds it, it stays (ownership passes to that grant); otherwise it is marked
 * deleting, deleted and polled until AWS reports it gone. A deletion once begun is seen through.
 */
final class AssignmentWork {
  private final AssignmentStore store;
  private final UserClaims claims;
  private final Assigner assigner;
  private final Polls polls;
  private final AssignmentEvents events;
  private final Clock clock;

  AssignmentWork(
      AssignmentStore store, Assigner assigner, Polls polls, AssignmentEvents events, Clock clock) {
    this.store = store;
    this.claims = new UserClaims(store);
    this.assigner = assigner;
    this.polls = polls;
    this.events = events;
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
      // Early (the outbox holds it until the start, but replicas' clocks differ): asked again.
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
    return polls.until(() -> in(row).user(row.at(), row.userName().get()), x -> true);
  }

  private Future<Void> assign(Change change, AssignmentRow row) {
    if (row.requestToken().isPresent()) {
      return awaitCreation(change, row, row.requestToken().get());
    }
    if (row.stintCreated()) {
      // Asked AWS already, or shares the same person's assignment: checked before.
      return hold(change, row);
    }
    // 3. The user's saved first, so another person's grant checking at once sees it; then whether
    // this grant may take the user's assignment now.
    return store
        .save(row, clock.instant())
        .compose(x -> claims.check(row))
        .compose(
            refused ->
                refused.isPresent() ? failed(change, row, refused.get()) : hold(change, row));
  }

  private Future<Void> hold(Change change, AssignmentRow row) {
    String user = row.userId().orElseThrow();
    // 4. Held already: by a live stint grant (shared, stint's), or by someone else (never stint's).
    return polls
        .until(() -> in(row).assigned(row.at(), user), x -> true)
        .compose(
            held ->
                !held
                    ? make(change, row)
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
                              return store
                                  .save(done, clock.instant())
                                  .compose(x -> events.created(change, done, false));
                            }));
  }

  // 5. Mark it stint's before asking, create, record AWS's request id, and wait for it.
  private Future<Void> make(Change change, AssignmentRow row) {
    AssignmentRow asking = next(row, AssignmentState.CREATING, true, null);
    return store
        .save(asking, clock.instant())
        .compose(
            x -> polls.until(() -> in(row).create(row.at(), row.userId().orElseThrow()), y -> true))
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
                      Optional.empty(),
                      row.endpoints(),
                      row.holder());
              return store
                  .save(asked, clock.instant())
                  .compose(x -> awaitCreation(change, asked, step.requestId()));
            });
  }

  private Future<Void> awaitCreation(Change change, AssignmentRow row, String requestId) {
    return polls
        .until(() -> in(row).creation(row.at(), requestId), s -> s.state() != State.IN_PROGRESS)
        .compose(
            step -> {
              if (step.state() == State.FAILED) {
                return failed(change, row, "AWS did not create the assignment: " + reason(step));
              }
              AssignmentRow done = next(row, AssignmentState.CREATED, true, null);
              return store
                  .save(done, clock.instant())
                  .compose(x -> events.created(change, done, true));
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
      // Stint asked AWS to make it and the delivery was cut short before AWS's request id was
      // saved: whatever AWS made is stint's to delete.
      return polls
          .until(() -> in(row).assigned(row.at(), row.userId().get()), x -> true)
          .compose(
              held ->
                  held
                      ? release(change, next(row, AssignmentState.CREATED, true, null))
                      // Not listed: AWS may still be making it, and what it finishes must not
                      // stay. Asked again (the outbox retries) until AWS lists it.
                      : Future.failedFuture(
                          "the assignment stint asked AWS for is not listed yet; asked again"));
    }
    if (row.state() == AssignmentState.DELETING) {
      // Once begun, a deletion is seen through, whatever grants have started since (they wait).
      return row.requestToken().isPresent()
          ? awaitDeletion(change, row, row.requestToken().get())
          : polls
              .until(() -> in(row).assigned(row.at(), row.userId().get()), x -> true)
              // Not listed: AWS took the deletion before the delivery was cut short, and finished.
              .compose(held -> held ? remove(change, row) : gone(change, row));
    }
    return release(change, row);
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
              return remove(change, row);
            });
  }

  /**
   * Marks it being deleted before asking AWS (a delivery cut short after AWS took the deletion
   * still finds it deleting, and a grant starting meanwhile waits for it), deletes it, records
   * AWS's request id, and waits for it.
   */
  private Future<Void> remove(Change change, AssignmentRow row) {
    return store
        .save(next(row, AssignmentState.DELETING, true, null), clock.instant())
        .compose(
            marked ->
                polls
                    .until(() -> in(row).delete(row.at(), row.userId().get()), x -> true)
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
                                  Optional.empty(),
                                  row.endpoints(),
                                  row.holder());
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
                // Left deleting: the outbox asks again, and an alarm follows if it never can.
                return Future.failedFuture("AWS did not delete the assignment: " + reason(step));
              }
              return gone(change, row);
            });
  }

  private Future<Void> gone(Change change, AssignmentRow row) {
    AssignmentRow done = next(row, AssignmentState.DELETED, true, null);
    return store
        .save(done, clock.instant())
        .compose(x -> events.deleted(change, done, "account assignment deleted", true));
  }

  private Future<Void> kept(Change change, AssignmentRow row, String why, boolean stints) {
    AssignmentRow done = next(row, AssignmentState.DELETED, stints, why);
    return store.save(done, clock.instant()).compose(x -> events.deleted(change, done, why, false));
  }

  private Future<Void> failed(Change change, AssignmentRow row, String why) {
    AssignmentRow done = next(row, AssignmentState.FAILED, row.stintCreated(), why);
    return store.save(done, clock.instant()).compose(x -> events.failed(change, done, why));
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
        r.reason(),
        r.endpoints(),
        r.holder());
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
        Optional.ofNullable(why),
        r.endpoints(),
        r.holder());
  }

  /** The assigner reaching where the row's assignment was made, whatever today's config says. */
  private Assigner in(AssignmentRow row) {
    return assigner.at(row.endpoints());
  }

  private static String reason(Step step) {
    return step.reason().orElse("no reason given");
  }
}
