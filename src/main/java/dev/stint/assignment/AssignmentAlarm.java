package dev.stint.assignment;

/**
 * What operators must hear of at once about a grant's account assignment (the alarms' receivers): a
 * permission set kept in an account, or not given, until someone fixes what AWS refuses.
 */
public interface AssignmentAlarm {
  /**
   * AWS refused the assignment's {@code stage} ({@code creation} or {@code deletion}) in a way
   * retrying will not fix, or kept failing it past {@code outbox.give_up_after}: raised once per
   * stage, while the outbox keeps trying (a deletion for as long as it takes).
   */
  void assignmentRefused(String grantId, String requestId, String stage, String why);

  /**
   * A grant had ended with its assignment still held and no deletion of it in the outbox (its end's
   * row lost): stint has queued the deletion now.
   */
  void assignmentEndRestored(String grantId, String requestId);

  /** Tells nobody: for servers and tests that raise no alarms. */
  AssignmentAlarm NONE =
      new AssignmentAlarm() {
        @Override
        public void assignmentRefused(String grantId, String requestId, String stage, String why) {}

        @Override
        public void assignmentEndRestored(String grantId, String requestId) {}
      };
}
