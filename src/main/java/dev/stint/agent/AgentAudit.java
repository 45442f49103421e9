package dev.stint.agent;

import dev.stint.access.Caller;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.error.RetryLater;
import dev.stint.error.StintException;
import io.vertx.core.Future;

/**
 * The audit events of enrolled agents: {@code agent.enrolled}, {@code agent.revoked} (by its
 * person, with how many of its leases were ended), and {@code agent.refused} for every refused
 * enrollment, revoke, token or ask (the action and why). The agent's token is never recorded.
 */
final class AgentAudit {
  private final AuditLog log;

  AgentAudit(AuditLog log) {
    this.log = log;
  }

  Future<Void> enrolled(Caller caller, Agent agent) {
    AuditEvent.Builder b =
        caller
            .event("agent.enrolled")
            .outcome("ok")
            .detail("agent_id", agent.id())
            .detail("agent_name", agent.name())
            .detail("profiles", agent.profiles())
            .detail("expires_at", agent.expiresAt().toString());
    return log.append(b.build()).mapEmpty();
  }

  Future<Void> revoked(Caller caller, Agent agent, int leasesEnded) {
    AuditEvent.Builder b =
        caller
            .event("agent.revoked")
            .outcome("ok")
            .detail("agent_id", agent.id())
            .detail("agent_name", agent.name())
            .detail("leases_ended", (long) leasesEnded);
    return log.append(b.build()).mapEmpty();
  }

  /**
   * A refused {@code action} ({@code enroll}, {@code revoke}, {@code token}, {@code ask}, {@code
   * read}, {@code end}), recorded, then passed on.
   */
  <T> Future<T> refused(Caller caller, String action, String agentId, Throwable why) {
    if (!(why instanceof StintException refused)) {
      return Future.failedFuture(why);
    }
    AuditEvent.Builder b =
        caller
            .event("agent.refused")
            .outcome(why instanceof RetryLater ? "paced" : "refused")
            .reason(refused.detail())
            .detail("action", action)
            .detail("code", refused.code().code());
    if (!agentId.isEmpty()) {
      b.detail("agent_id", agentId);
    }
    return log.append(b.build()).transform(done -> Future.failedFuture(why));
  }
}
