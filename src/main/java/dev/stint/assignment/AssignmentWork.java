package dev.stint.assignment;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.Grant;
import dev.stint.access.RequestListener.Change;
import dev.stint.mint.Assigner;
import dev.stint.mint.Assigner.State;
import dev.stint.mint.Assigner.User;
import dev.stint.mint.SessionRevoker.UserCutoff;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * A grant's account assignment, made when the grant starts and deleted when it ends ({@link
 * AssignmentRemoval}), from what was recorded in {@code identity_center_assignments} (never from
 * today's policy), each call to the region and endpoints the row recorded. Making it:
 *
 * <ol>
 *   <li>read where it goes and the person's user name (their verified email), recorded with the
 *       approval; a repeated delivery resumes from the row (a failure already told is recorded, not
 *       told again);
 *   <li>find their Identity Center user; none, or one whose name a revoke's deny could not name
 *       exactly: the assignment {@code failed}, nothing assigned;
 *   <li>save the user, then check the grant may take it ({@link UserClaims}): another person's
 *       grant holding it fails this one; a deletion of the same assignment under way is waited for;
 *   <li>an assignment the user already holds is not made again: stint owns it only when a live
 *       stint grant does (overlapping grants) or this grant had already asked for it (a delivery
 *       cut short after AWS made it), never one someone else made;
 *   <li>a permission set that does not reference stint's portal revocation policy is refused: a
 *       revoke could not end its sessions, so the assignment {@code failed}, nothing assigned;
 *   <li>record that stint is asking (so a failure after AWS made it still leaves it stint's to
 *       delete), create it, record AWS's request id, and poll until AWS reports it done.
 * </ol>
 *
 * <p>Each settled state (created, deleted, failed) is written with its audit event ({@link
 * AssignmentEvents}); a failure is first told, with its reason kept on the row ({@link
 * AssignmentFailures}).
 */
final class AssignmentWork {
  /** What the requester and approvers are told of a creation AWS failed. */
  static final String CREATION_FAILED =
      "AWS did not create the account assignment (its creation status is "
          + State.FAILED
          + "): an operator finds AWS's reason in the audit log";

  private final AssignmentStore store;
  private final UserClaims claims;
  private final Assigner assigner;
  private final Polls polls;
  private final AssignmentEvents events;
  private final AssignmentFailures failures;
  private final AssignmentRemoval removal;
  private final Clock clock;

  AssignmentWork(
      AssignmentStore store,
      Assigner assigner,
      Polls polls,
      AssignmentEvents events,
      AssignmentFailures failures,
      PortalRoles portals,
      Clock clock) {
    this.store = store;
    this.claims = new UserClaims(store);
    this.assigner = assigner;
    this.polls = polls;
    this.events = events;
    this.failures = failures;
    this.removal = new AssignmentRemoval(store, assigner, polls, events, portals, clock);
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
                              : nameable(change, row.withUser(user.get())));
            });
  }

  private Future<Optional<User>> user(AssignmentRow row) {
    if (row.userId().isPresent()) {
      return Future.succeededFuture(
          Optional.of(new User(row.userId().get(), row.userName().get())));
    }
    return polls.until(() -> in(row).user(row.at(), row.userName().get()), x -> true);
  }

  /**
   * A user whose sessions a revoke's deny could not name exactly (a name holding one of IAM's
   * wildcards, or a policy variable's {@code $}) is never assigned: the deny would end other
   * people's sessions, or miss this user's. It fails as a missing user does, nothing assigned.
   */
  private Future<Void> nameable(Change change, AssignmentRow row) {
    String name = row.userName().orElseThrow();
    if (UserCutoff.nameable(name)) {
      return assign(change, row);
    }
    return failed(
        change,
        row,
        "the IAM Identity Center user "
            + name
            + " has a name a revoke's deny cannot name exactly (it holds *, ? or $)");
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
                refused.isPresent()
                    ? failed(change, row, refused.get().why(), refused.get().told())
                    : hold(change, row));
  }

  private Future<Void> hold(Change change, AssignmentRow row) {
    String user = row.userId().orElseThrow();
    // 4. Held already: by a live stint grant (shared, stint's), or by someone else (never stint's).
    return polls
        .until(() -> in(row).assigned(row.at(), user), x -> true)
        .compose(
            held ->
                !held
                    ? makeIfRevocable(change, row)
                    : store
                        .othersHolding(row)
                        .compose(
                            others -> {
                              // Marked as asked before: AWS made it and the delivery was cut
                              // short before the request id was saved. It is stint's to delete.
                              boolean stints =
                                  row.stintCreated()
                                      || others.stream().anyMatch(AssignmentRow::stintCreated);
                              AssignmentRow done = row.next(AssignmentState.CREATED, stints, null);
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
    // 5. Whether a revoke could end its sessions, asked where the row's assignment is made.
    return polls
        .until(() -> in(row).unrevocable(row.at()), x -> true)
        .compose(why -> why.isPresent() ? failed(change, row, why.get()) : make(change, row));
  }

  // 6. Mark it stint's before asking, create, record AWS's request id, and wait for it.
  private Future<Void> make(Change change, AssignmentRow row) {
    AssignmentRow asking = row.next(AssignmentState.CREATING, true, null);
    return store
        .save(asking, clock.instant())
        .compose(
            x -> polls.until(() -> in(row).create(row.at(), row.userId().orElseThrow()), y -> true))
        .compose(
            step -> {
              AssignmentRow asked = row.asked(AssignmentState.CREATING, step.requestId());
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
                // AWS's own words may name its ids and accounts: they are kept in the audit and on
                // the row, and the people told (chat, webhooks) get a fixed sentence and status.
                return failed(
                    change,
                    row,
                    "AWS did not create the assignment: " + step.reason().orElse("no reason given"),
                    CREATION_FAILED);
              }
              return events.created(change, row.next(AssignmentState.CREATED, true, null), true);
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
                    .compose(again -> removal.unassign(change, again.orElseThrow()));
              }
              return removal.unassign(change, row);
            });
  }

  private Future<Void> failed(Change change, AssignmentRow row, String why) {
    return failed(change, row, why, why);
  }

  /**
   * Told first ({@code told}), with the reason kept on the row ({@code why}); then recorded as
   * failed with its event.
   */
  private Future<Void> failed(Change change, AssignmentRow row, String why, String told) {
    return failures.failing(change, row, why, told).compose(x -> settleFailure(change, row, why));
  }

  private Future<Void> settleFailure(Change change, AssignmentRow row, String why) {
    return events.failed(change, row.next(AssignmentState.FAILED, row.stintCreated(), why), why);
  }

  /** The assigner reaching where the row's assignment was made, whatever today's config says. */
  private Assigner in(AssignmentRow row) {
    return assigner.at(row.endpoints());
  }
}
