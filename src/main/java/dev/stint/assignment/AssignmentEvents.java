package dev.stint.assignment;

import dev.stint.access.Grant;
import dev.stint.access.RequestListener.Change;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;

/**
 * The audit events of an assignment: {@code assignment.created}, {@code .deleted}, {@code .failed},
 * each appended with the row it settles ({@link AssignmentStore#SETTLED}), so the state and its
 * event are committed together or not at all.
 */
final class AssignmentEvents {
  private final AuditLog audit;

  AssignmentEvents(AuditLog audit) {
    this.audit = audit;
  }

  Future<Void> created(Change change, AssignmentRow row, boolean made) {
    return append(
        base("assignment.created", change, row)
            .outcome("ok")
            .reason(
                made
                    ? "account assignment created for the grant"
                    : "the user already held the assignment: nothing created, and stint deletes it"
                        + (row.stintCreated() ? " when the last grant holding it ends" : " never"))
            .detail("stint_created", row.stintCreated()),
        row);
  }

  /**
   * @param deniedBefore when the user's portal sessions issued before it were denied with the
   *     deletion, for an operator to see how far the deny reaches
   */
  Future<Void> deleted(
      Change change,
      AssignmentRow row,
      String why,
      boolean deleted,
      Optional<Instant> deniedBefore) {
    AuditEvent.Builder b =
        base("assignment.deleted", change, row)
            .outcome("ok")
            .reason(why)
            .detail("assignment_deleted", deleted);
    deniedBefore.ifPresent(t -> b.detail("portal_sessions_denied_before", t.toString()));
    return append(b, row);
  }

  Future<Void> failed(Change change, AssignmentRow row, String why) {
    return append(base("assignment.failed", change, row).outcome("error").reason(why), row);
  }

  private Future<Void> append(AuditEvent.Builder b, AssignmentRow row) {
    return audit.append(b.build(), AssignmentStore.SETTLED.row(row)).mapEmpty();
  }

  private static AuditEvent.Builder base(String type, Change change, AssignmentRow row) {
    return AuditEvent.builder(type)
        .actor(AuditEvent.Actor.SYSTEM)
        .requestId(change.request().id())
        .grantId(change.request().grant().map(Grant::id).orElse(null))
        .profile(change.request().profile())
        .target(row.at().describe())
        .detail("instance_arn", row.at().instanceArn())
        .detail("account_id", row.at().accountId())
        .detail("permission_set_arn", row.at().permissionSetArn())
        .detail("user_name", row.userName().orElse(""))
        .detail("user_id", row.userId().orElse(""));
  }
}
