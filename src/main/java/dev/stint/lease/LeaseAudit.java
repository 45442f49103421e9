package dev.stint.lease;

import dev.stint.access.Action;
import dev.stint.access.Caller;
import dev.stint.access.RevocationPace;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.common.FilledDocument;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The audit events of task leases: {@code lease.created}, {@code lease.requested} (an enrolled
 * agent's ask), {@code lease.approved} and {@code lease.denied} (where its profile asks a vote),
 * {@code lease.revoked}, {@code lease.revoke_paced} (a holder's revoke slowed, not refused), {@code
 * lease.ended} (with its grant), and {@code lease.refused} for every refused create, read of
 * another's lease or revoke, with the action and why. The lease token itself is never recorded.
 */
final class LeaseAudit {
  private final AuditLog log;

  LeaseAudit(AuditLog log) {
    this.log = log;
  }

  /** A lease made: its task, end, policy hash, and who mints with it. */
  Future<Void> created(Caller caller, Lease lease) {
    AuditEvent.Builder b =
        of(caller.event("lease.created"), lease)
            .outcome("ok")
            .reason(lease.task())
            .detail("expires_at", lease.window().expiresAt().toString())
            .detail("minted_by", lease.agent().isPresent() ? "agent" : "lease_token")
            .detail("state", lease.state().code());
    lease.agent().ifPresent(a -> b.detail("agent", person(a)));
    return log.append(b.build()).mapEmpty();
  }

  /**
   * A lease an enrolled agent asked for, pending a person's approval: the agent ({@code caller}),
   * its name and whose it is.
   */
  Future<Void> requested(Caller caller, Lease lease) {
    AuditEvent.Builder b =
        of(caller.event("lease.requested"), lease)
            .outcome("ok")
            .reason(lease.task())
            .detail("expires_at", lease.window().expiresAt().toString())
            .detail("state", lease.state().code());
    lease.agent().ifPresent(a -> b.detail("agent", person(a)));
    lease
        .askedBy()
        .ifPresent(a -> b.detail("agent_name", a.agentName()).detail("agent_owner", a.owner()));
    return log.append(b.build()).mapEmpty();
  }

  /** A lease revoked on its own, by {@code caller}; its grant stands. */
  Future<Void> revoked(Caller caller, Lease lease, Optional<String> comment, int sessions) {
    AuditEvent.Builder b =
        of(caller.event("lease.revoked"), lease)
            .outcome("ok")
            .reason(comment.orElse(null))
            .detail("task", lease.task())
            .detail("sessions_to_deny", (long) sessions);
    return log.append(b.build()).mapEmpty();
  }

  /**
   * A lease revoked by stint on its own, for {@code reason} (a finding's action); its grant stands.
   */
  Future<Void> revokedAsStint(Lease lease, RevokesAsStint.Reason reason, int sessions) {
    AuditEvent.Builder b =
        of(AuditEvent.builder("lease.revoked").actor(AuditEvent.Actor.SYSTEM), lease)
            .outcome("ok")
            .reason(reason.why())
            .detail("by", reason.by())
            .detail(reason.referenceKey(), reason.reference())
            .detail("task", lease.task())
            .detail("sessions_to_deny", (long) sessions);
    return log.append(b.build()).mapEmpty();
  }

  /**
   * A holder's revoke of their own lease that must wait: not refused, slowed ({@code
   * retry_after_seconds}); the lease stands until they try again.
   */
  Future<Void> paced(Caller caller, Lease lease, RevocationPace.Paced paced) {
    AuditEvent.Builder b =
        of(caller.event("lease.revoke_paced"), lease)
            .outcome("paced")
            .reason(paced.why())
            .detail("action", "revoke")
            .detail("task", lease.task())
            .detail("retry_after_seconds", Math.max(1, paced.retryAfter().toSeconds()));
    return log.append(b.build()).mapEmpty();
  }

  /**
   * An approver's vote on a lease that waited for one: {@code lease.approved} or {@code denied}.
   */
  Future<Void> decided(Caller caller, Lease lease, Action action, Optional<String> comment) {
    AuditEvent.Builder b =
        of(caller.event(action == Action.APPROVE ? "lease.approved" : "lease.denied"), lease)
            .outcome("ok")
            .reason(comment.orElse(null))
            .detail("task", lease.task());
    return log.append(b.build()).mapEmpty();
  }

  /** A lease ended because its grant was revoked or ended early. */
  Future<Void> ended(Lease lease, Person by, String why) {
    AuditEvent.Builder b =
        of(AuditEvent.builder("lease.ended"), lease)
            .actor(by.issuer(), by.subject(), by.email().orElse(null))
            .outcome("ok")
            .reason(why)
            .detail("task", lease.task());
    return log.append(b.build()).mapEmpty();
  }

  /**
   * A refused action on a lease ({@code create}, {@code read}, {@code revoke}, {@code mint}),
   * recorded, then passed on.
   */
  <T> Future<T> refused(
      Caller caller, String action, String requestId, Optional<String> leaseId, Throwable why) {
    if (!(why instanceof StintException refused)) {
      return Future.failedFuture(why);
    }
    AuditEvent.Builder b =
        caller
            .event("lease.refused")
            .requestId(requestId.isEmpty() ? null : requestId)
            .outcome("refused")
            .reason(refused.detail())
            .detail("action", action)
            .detail("code", refused.code().code());
    leaseId.ifPresent(id -> b.detail("lease_id", id));
    return log.append(b.build()).transform(done -> Future.failedFuture(why));
  }

  private static AuditEvent.Builder of(AuditEvent.Builder b, Lease lease) {
    b.requestId(lease.requestId())
        .grantId(lease.grantId())
        .profile(lease.profile())
        .detail("lease_id", lease.id());
    if (!lease.narrowing().values().isEmpty()) {
      b.detail("parameters", lease.narrowing().values().values());
    }
    lease
        .narrowing()
        .policy()
        .map(FilledDocument::sha256)
        .ifPresent(h -> b.detail("policy_sha256", h));
    return b;
  }

  private static Map<String, Object> person(Person p) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("issuer", p.issuer());
    out.put("subject", p.subject());
    return out;
  }
}
