package dev.stint.assignment;

import dev.stint.cloud.AccountAssignment;
import dev.stint.identity.Person;
import dev.stint.mint.Assigner.Endpoints;
import dev.stint.mint.Assigner.User;
import java.util.Optional;

/**
 * One grant's row of {@code identity_center_assignments}: where its assignment is (and where the
 * instance's APIs were reached when it started), whose user it is, how far it has gone, whether
 * stint made it, and AWS's id of the change in progress.
 */
record AssignmentRow(
    String grantId,
    String requestId,
    AccountAssignment at,
    Optional<String> userName,
    Optional<String> userId,
    AssignmentState state,
    boolean stintCreated,
    Optional<String> requestToken,
    Optional<String> reason,
    Endpoints endpoints,
    Person holder) {

  /**
   * Its failure decided and told, its event not yet recorded: still {@code creating}, with the
   * failure's reason ({@link AssignmentStore#FAILING}).
   */
  boolean failing() {
    return state == AssignmentState.CREATING && reason.isPresent();
  }

  /** In {@code state}, stint's or not, and why; no request of AWS's in progress. */
  AssignmentRow next(AssignmentState state, boolean stints, String why) {
    return new AssignmentRow(
        grantId,
        requestId,
        at,
        userName,
        userId,
        state,
        stints,
        Optional.empty(),
        Optional.ofNullable(why),
        endpoints,
        holder);
  }

  /** Stint's, in {@code state} while AWS's request {@code requestToken} makes or deletes it. */
  AssignmentRow asked(AssignmentState state, String requestToken) {
    return new AssignmentRow(
        grantId,
        requestId,
        at,
        userName,
        userId,
        state,
        true,
        Optional.of(requestToken),
        Optional.empty(),
        endpoints,
        holder);
  }

  /** The user found, named from now on as the directory writes the name. */
  AssignmentRow withUser(User user) {
    return new AssignmentRow(
        grantId,
        requestId,
        at,
        Optional.of(user.userName()),
        Optional.of(user.id()),
        state,
        stintCreated,
        requestToken,
        reason,
        endpoints,
        holder);
  }
}
