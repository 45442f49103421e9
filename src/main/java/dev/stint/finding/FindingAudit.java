package dev.stint.finding;

import dev.stint.access.Caller;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.error.StintException;
import dev.stint.finding.rules.EventRef;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The audit events of findings: {@code finding.raised} (the finding's fields, as stint, dry runs
 * too), {@code finding.acted} (what its action did), {@code finding.act_failed} (the outbox gave up
 * on it), and {@code finding.refused} for a read the caller may not make.
 */
final class FindingAudit {
  static final String RAISED = "finding.raised";
  static final String ACTED = "finding.acted";

  private final AuditLog log;

  FindingAudit(AuditLog log) {
    this.log = log;
  }

  Future<Void> raised(Finding f) {
    AuditEvent.Builder b =
        of(RAISED, f)
            .outcome("ok")
            .reason(f.why())
            .detail("severity", f.severity().code())
            .detail("mode", f.mode().code())
            .detail("credential_id", f.origin().credentialId())
            .detail("person", person(f))
            .detail("events", events(f.events()))
            .detail("raised_at", f.raisedAt().toString());
    return log.append(b.build()).mapEmpty();
  }

  /** {@code what} was done for {@code f} ({@code detail}s beside), or found done already. */
  Future<Void> acted(Finding f, String what, Map<String, Object> details) {
    return log.append(of(ACTED, f).outcome("ok").reason(what).details(details).build()).mapEmpty();
  }

  /**
   * The outbox gave up on what follows {@code f}: its action may not have been carried out ({@code
   * stint admin outbox} retries it).
   */
  Future<Void> failed(Finding f, String why) {
    return log.append(
            of("finding.act_failed", f)
                .outcome("error")
                .reason(why + "; giving up, retry it (stint admin outbox)")
                .build())
        .mapEmpty();
  }

  /** A refused read ({@code action} {@code read} or {@code list}), recorded, then passed on. */
  <T> Future<T> refused(Caller caller, String action, Optional<String> about, Throwable why) {
    if (!(why instanceof StintException refused)) {
      return Future.failedFuture(why);
    }
    AuditEvent.Builder b =
        caller
            .event("finding.refused")
            .outcome("refused")
            .reason(refused.detail())
            .detail("action", action)
            .detail("code", refused.code().code());
    about.ifPresent(id -> b.detail(id.startsWith("lse_") ? "lease_id" : "request_id", id));
    return log.append(b.build()).transform(done -> Future.failedFuture(why));
  }

  private static AuditEvent.Builder of(String type, Finding f) {
    AuditEvent.Builder b =
        AuditEvent.builder(type)
            .actor(AuditEvent.Actor.SYSTEM)
            .requestId(f.origin().requestId())
            .grantId(f.origin().grantId())
            .profile(f.origin().profile())
            .detail("finding_id", f.id())
            .detail("rule", f.rule().id())
            .detail("action", f.action().code());
    f.origin().leaseId().ifPresent(l -> b.detail("lease_id", l));
    return b;
  }

  private static Map<String, Object> person(Finding f) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("issuer", f.origin().holder().issuer());
    out.put("subject", f.origin().holder().subject());
    return out;
  }

  private static List<Map<String, Object>> events(List<EventRef> events) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (EventRef e : events) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("event_id", e.eventId());
      m.put("event_name", e.eventName());
      m.put("event_source", e.eventSource());
      m.put("time", e.time().toString());
      out.add(m);
    }
    return out;
  }
}
