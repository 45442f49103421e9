package dev.stint.extension;

import dev.stint.access.AccessRequest;
import dev.stint.access.Caller;
import dev.stint.access.Leavers;
import dev.stint.access.Vote;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * The audit events of extensions ({@code grant.extension_requested}, {@code grant.extended}, {@code
 * approval.recorded}, {@code approval.withdrawn}, {@code
 * grant.extension_denied|cancelled|expired}); refusals are {@code request.refused} with action
 * {@code extend}, like every refused request action.
 */
final class ExtensionAudit {
  private final AuditLog log;

  ExtensionAudit(AuditLog log) {
    this.log = log;
  }

  /** What a person did (or tried): {@code action} is extend, approve, deny or cancel. */
  Future<Void> acted(
      Caller caller, String action, AccessRequest original, ExtensionMachine.Result result) {
    AuditEvent.Builder b =
        result instanceof ExtensionMachine.Changed changed
            ? changed(changed, original).outcome("ok")
            : refused((ExtensionMachine.Refused) result, original);
    if (result instanceof ExtensionMachine.Changed changed
        && (action.equals("approve") || action.equals("deny"))) {
      decidedBy(b, changed.extension(), caller);
    }
    caller.stamp(b.detail("action", action));
    return log.append(b.build()).mapEmpty();
  }

  /**
   * An approver's decision is theirs: {@code reason} holds their comment (docs/audit.md), as on a
   * request's approval, and the extension's own reason moves to {@code extension_reason}. Before,
   * the extension's reason sat in {@code reason}, read everywhere as if the approver had written
   * it, and the approver's comment was not recorded at all.
   */
  private static void decidedBy(AuditEvent.Builder b, Extension e, Caller caller) {
    Optional<String> comment =
        e.votes().stream()
            .filter(v -> v.approver().is(caller.person()))
            .reduce((first, last) -> last)
            .flatMap(Vote::comment);
    b.reason(comment.orElse(null)).detail("extension_reason", e.reason());
  }

  /**
   * {@code e} as it was, once recorded when it is a refusal for what does not exist or may not be
   * seen ({@link #unseen}); any other failure is passed on unrecorded here.
   */
  <T> Future<T> whenUnseen(
      Caller caller,
      String action,
      Optional<String> requestId,
      Optional<String> extensionId,
      Throwable e) {
    if (e instanceof StintException refusal && refusal.code() == ErrorCode.NOT_FOUND) {
      return unseen(caller, action, requestId, extensionId, refusal)
          .compose(x -> Future.failedFuture(refusal));
    }
    return Future.failedFuture(e);
  }

  /**
   * An extension asked for, or decided, on a request or extension that does not exist or that the
   * caller may not see: on the record like any refusal (the ids as given), answered with the same
   * 404 either way.
   */
  Future<Void> unseen(
      Caller caller,
      String action,
      Optional<String> requestId,
      Optional<String> extensionId,
      StintException why) {
    AuditEvent.Builder b =
        caller
            .event("request.refused")
            .outcome("refused")
            .reason(why.detail())
            .detail("action", action)
            .detail("code", why.code().code());
    requestId.ifPresent(b::requestId);
    extensionId.ifPresent(id -> b.detail("extension_id", id));
    return log.append(b.build()).mapEmpty();
  }

  /** What the sweeper did. */
  Future<Void> swept(AccessRequest original, ExtensionMachine.Result result) {
    if (!(result instanceof ExtensionMachine.Changed changed)) {
      return Future.succeededFuture();
    }
    return log.append(
            changed(changed, original)
                .actor(AuditEvent.Actor.SYSTEM)
                .outcome("ok")
                .detail("action", "sweep")
                .build())
        .mapEmpty();
  }

  /**
   * What stint did to an extension because the directory deprovisioned {@code leaver}, its asker
   * ({@code grant.extension_expired}: its grant was just revoked) or an approver of it ({@code
   * approval.withdrawn}): {@code by} {@code directory}, as the leaver's request events are.
   */
  Future<Void> leaving(
      AccessRequest original,
      ExtensionMachine.Changed changed,
      Person leaver,
      Leavers.Leaving leaving) {
    AuditEvent.Builder b =
        changed(changed, original)
            .actor(AuditEvent.Actor.SYSTEM)
            .outcome("ok")
            .reason(leaving.why())
            .detail("extension_reason", changed.extension().reason())
            .detail("by", leaving.by())
            .detail(leaving.referenceKey(), leaving.reference());
    if (changed.eventType().equals("approval.withdrawn")) {
      b.detail("approver_issuer", leaver.issuer()).detail("approver_subject", leaver.subject());
    }
    return log.append(b.build()).mapEmpty();
  }

  private static AuditEvent.Builder changed(ExtensionMachine.Changed c, AccessRequest original) {
    Extension e = c.extension();
    AuditEvent.Builder b =
        AuditEvent.builder(c.eventType())
            .requestId(original.id())
            .grantId(e.grantId())
            .profile(e.profile())
            .reason(e.reason())
            .detail("extension_id", e.id())
            .detail("extension_seconds", e.duration().toSeconds())
            .detail("to", e.state().code())
            .detail("approvals", e.approvalCount())
            .detail("approvals_required", (long) e.approvalsRequired());
    original.grant().ifPresent(g -> b.detail("ends_at", g.endsAt().toString()));
    c.newGrantEnd().ifPresent(end -> b.detail("new_ends_at", end.toString()));
    return b;
  }

  private static AuditEvent.Builder refused(ExtensionMachine.Refused r, AccessRequest original) {
    AuditEvent.Builder b =
        AuditEvent.builder("request.refused")
            .requestId(original.id())
            .profile(original.profile())
            .outcome("refused")
            .reason(r.reason())
            .detail("code", r.code().code());
    Optional.ofNullable(original.grant().orElse(null)).ifPresent(g -> b.grantId(g.id()));
    return b;
  }
}
