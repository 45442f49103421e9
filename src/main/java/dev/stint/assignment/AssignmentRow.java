package dev.stint.assignment;

import dev.stint.cloud.AccountAssignment;
import java.util.Optional;

/**
 * One grant's row of {@code identity_center_assignments}: where its assignment is, whose user it
 * is, how far it has gone, whether stint made it, and AWS's id of the change in progress.
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
    Optional<String> reason) {

  /**
   * Its failure decided and told, its event not yet recorded: still {@code creating}, with the
   * failure's reason ({@link AssignmentStore#FAILING}).
   */
  boolean failing() {
    return state == AssignmentState.CREATING && reason.isPresent();
  }
}
