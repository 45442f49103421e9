package dev.stint.access;

import dev.stint.access.AccessRequest.ApprovalStage;
import dev.stint.access.AccessRequest.StageProgress;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.access.Transition.Changed;
import dev.stint.access.Transition.Refused;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.common.Durations;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import dev.stint.ledger.RevocationReach;
import dev.stint.policy.Condition;
import dev.stint.policy.Escalation;
import dev.stint.policy.FactValues;
import dev.stint.policy.Profile;
import dev.stint.policy.Stage;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The audit events of the requests use cases: every change (with its from/to state) and every
 * refused attempt, so the record shows what was tried as well as what happened.
 */
final class AccessAudit {
  private final AuditLog log;

  AccessAudit(AuditLog log) {
    this.log = log;
  }

  /** The log these events go to, for the events of what sits beside requests (the outbox's). */
  AuditLog log() {
    return log;
  }

  /** The events of a new request, appended in order; the request commits only if they do. */
  Future<Void> created(
      Caller caller, AccessRequest r, Profile profile, List<String> types, FactValues looked) {
    Future<Void> chain = Future.succeededFuture();
    for (String type : types) {
      chain =
          chain.compose(
              x ->
                  log.append(
                          withFacts(event(type, caller, r), looked)
                              .cloud(profile.target().cloud())
                              .target(profile.target().describe())
                              .outcome("ok")
                              .reason(r.reason())
                              .detail("to", r.state().code())
                              .detail("duration_seconds", r.duration().toSeconds())
                              .detail("approvals_required", (long) r.approvalsRequired())
                              .detail("break_glass", r.breakGlass())
                              .detail("ticket", r.ticket().orElse(""))
                              .detail("starts_at", r.startsAt().map(Object::toString).orElse(""))
                              .details(stagesOf(r))
                              .details(narrowingOf(r.narrowed()))
                              .build())
                      .mapEmpty());
    }
    return chain;
  }

  /**
   * A narrowed request's values and the SHA-256 of the document approvers see, so the record alone
   * tells what was asked and which document a later credential was minted with.
   */
  static Map<String, Object> narrowingOf(Narrowed narrowed) {
    if (!narrowed.isNarrowed()) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("parameters", narrowed.values().values());
    narrowed.policy().ifPresent(p -> out.put("narrowed_policy_sha256", p.sha256()));
    return out;
  }

  /** What ties requests made together: the bundle, its name if any, each request's profile. */
  Future<Void> bundled(
      Caller caller, String bundleId, Optional<String> name, List<AccessRequest> requests) {
    return log.append(
            caller
                .event("bundle.created")
                .outcome("ok")
                .reason(requests.get(0).reason())
                .detail("bundle_id", bundleId)
                .detail("bundle", name.orElse(""))
                .detail(
                    "requests",
                    String.join(
                        ",", requests.stream().map(r -> r.id() + ":" + r.profile()).toList()))
                .build())
        .mapEmpty();
  }

  /**
   * The facts a decision read, as it saw them (name, value, source, error): on its event, so what
   * was decided on a fact can be told from the record alone.
   */
  /**
   * A request's stages as filed ({@code stages}: name, count, skipped), for an approval written in
   * stages; nothing for the one-stage form, whose events stay as they were.
   */
  private static Map<String, Object> stagesOf(AccessRequest r) {
    if (!r.staged()) {
      return Map.of();
    }
    List<Map<String, Object>> stages = new ArrayList<>();
    for (ApprovalStage s : r.stages()) {
      stages.add(Map.of("name", s.name(), "count", (long) s.count(), "skipped", s.skipped()));
    }
    return Map.of("stages", stages);
  }

  /** The stage a vote was cast in ({@code stage}), for an approval written in stages. */
  private static Map<String, Object> votedIn(Optional<Vote> vote) {
    return vote.flatMap(Vote::stage)
        .filter(s -> !s.equals(Stage.SINGLE))
        .<Map<String, Object>>map(s -> Map.of("stage", s))
        .orElse(Map.of());
  }

  /** The open stage of a pending request ({@code stage}), for an approval written in stages. */
  private static Map<String, Object> openStage(AccessRequest r) {
    return StageProgress.open(r)
        .filter(s -> r.staged())
        .<Map<String, Object>>map(s -> Map.of("stage", s.name()))
        .orElse(Map.of());
  }

  static AuditEvent.Builder withFacts(AuditEvent.Builder b, FactValues looked) {
    return looked.isEmpty() ? b : b.detail("facts", looked.json());
  }

  /**
   * A person's revoke of their own grant that must wait: not refused, slowed ({@code
   * retry_after_seconds}); the grant stands until they try again.
   */
  Future<Void> paced(Caller caller, AccessRequest r, RevocationPace.Paced paced) {
    long seconds = Math.max(1, paced.retryAfter().toSeconds());
    return log.append(
            caller
                .event("request.revoke_paced")
                .requestId(r.id())
                .grantId(r.grant().map(Grant::id).orElse(null))
                .profile(r.profile())
                .outcome("paced")
                .reason(paced.why())
                .detail("action", "revoke")
                .detail("retry_after_seconds", seconds)
                .build())
        .mapEmpty();
  }

  /** An attempt that changed nothing, and why. */
  Future<Void> refused(
      Caller caller,
      String action,
      String profile,
      Optional<String> requestId,
      StintException why) {
    return refused(caller, action, profile, requestId, why, FactValues.NONE);
  }

  /** An attempt that changed nothing, why, and the facts it was decided on. */
  Future<Void> refused(
      Caller caller,
      String action,
      String profile,
      Optional<String> requestId,
      StintException why,
      FactValues looked) {
    AuditEvent.Builder b =
        withFacts(caller.event("request.refused"), looked)
            .profile(profile)
            .outcome("refused")
            .reason(why.detail())
            .detail("action", action)
            .detail("code", why.code().code());
    requestId.ifPresent(b::requestId);
    return log.append(b.build()).mapEmpty();
  }

  /**
   * A decision on an existing request: the change it made, or its refusal. A revoke also records
   * its {@code reach}: what it ends, and what it cannot, for the grant's cloud. The comment is the
   * event's reason: a vote's, or a revoke's, cancel's or review's own (without a vote it was
   * dropped, so a reason typed for a revoke reached only the notifications, never the audit log).
   */
  Future<Void> decided(
      DecisionAsked asked,
      AccessRequest before,
      Transition outcome,
      Optional<RevocationReach> reach) {
    Caller caller = asked.caller();
    Action action = asked.action();
    if (outcome instanceof Refused refused) {
      return refused(
          caller,
          action.code(),
          before.profile(),
          Optional.of(before.id()),
          new StintException(refused.code(), refused.reason()),
          asked.facts());
    }
    Changed changed = (Changed) outcome;
    AuditEvent.Builder b =
        withFacts(event(changed.eventType(), caller, changed.request()), asked.facts())
            .outcome("ok")
            .detail("action", action.code())
            .detail("from", changed.from().code())
            .detail("to", changed.request().state().code())
            .detail("approvals", changed.request().approvalCount())
            .details(votedIn(changed.vote()));
    changed.vote().map(Vote::comment).orElse(asked.act().comment()).ifPresent(c -> b.reason(c));
    if (reach.isPresent()) {
      reach.get().cloud().ifPresent(b::cloud);
      b.detail("live_credentials", reach.get().live().code())
          .detail("note", reach.get().note(changed.request().updatedAt()));
    }
    return log.append(b.build()).mapEmpty();
  }

  /** What the sweeper did; a request someone else already handled records nothing. */
  Future<Void> swept(AccessRequest before, Transition outcome) {
    if (!(outcome instanceof Changed changed)) {
      return Future.succeededFuture();
    }
    AuditEvent event =
        base(changed.eventType(), changed.request())
            .actor(AuditEvent.Actor.SYSTEM)
            .outcome("ok")
            .reason(
                changed.eventType().equals("grant.expired")
                    ? "the approved window ended"
                    : "nobody decided within the review timeout")
            .detail("from", before.state().code())
            .detail("to", changed.request().state().code())
            .build();
    return log.append(event).mapEmpty();
  }

  /**
   * A grant ended by its profile's {@code end_when}: {@code grant.revoked} by stint, with the
   * condition and the facts that made it true. A grant someone else ended first records nothing.
   */
  Future<Void> endedWhen(
      AccessRequest before, Transition outcome, Condition endWhen, FactValues facts, String why) {
    if (!(outcome instanceof Changed changed)) {
      return Future.succeededFuture();
    }
    AuditEvent event =
        withFacts(base(changed.eventType(), changed.request()), facts)
            .actor(AuditEvent.Actor.SYSTEM)
            .outcome("ok")
            .reason(why)
            .detail("end_when", endWhen.source())
            .detail("from", before.state().code())
            .detail("to", changed.request().state().code())
            .build();
    return log.append(event).mapEmpty();
  }

  /**
   * A grant revoked, a request withdrawn or an approval withdrawn by stint because the directory
   * deprovisioned its holder or approver ({@code leaver}): {@code by} {@code directory}, with the
   * directory user whose deactivation or deletion it was.
   */
  Future<Void> leaving(
      AccessRequest before, Changed changed, Person leaver, Leavers.Leaving leaving) {
    AuditEvent.Builder b =
        base(changed.eventType(), changed.request())
            .actor(AuditEvent.Actor.SYSTEM)
            .outcome("ok")
            .reason(leaving.why())
            .detail("by", leaving.by())
            .detail(leaving.referenceKey(), leaving.reference())
            .detail("from", before.state().code())
            .detail("to", changed.request().state().code());
    if (changed.eventType().equals("approval.withdrawn")) {
      // Whose vote no longer counts, where it was cast, and how many still do.
      b.detail("approver_issuer", leaver.issuer())
          .detail("approver_subject", leaver.subject())
          .detail("approvals", changed.request().approvalCount())
          .details(openStage(changed.request()));
    }
    return log.append(b.build()).mapEmpty();
  }

  /** The reminder that a grant ends soon (sent once per end). */
  Future<Void> expiring(AccessRequest r) {
    String endsAt = r.grant().map(g -> g.endsAt().toString()).orElse("");
    return log.append(
            base("grant.expiring", r)
                .actor(AuditEvent.Actor.SYSTEM)
                .outcome("ok")
                .reason("the grant ends at " + endsAt)
                .detail("ends_at", endsAt)
                .build())
        .mapEmpty();
  }

  /**
   * A revocation of another grant did not fit its role's deny, so every stint session of the role
   * issued before a cutoff was denied, this grant's too: its holder must fetch a fresh one.
   */
  Future<Void> sessionsCut(AccessRequest r, String note) {
    return log.append(
            base("grant.sessions_cut", r)
                .actor(AuditEvent.Actor.SYSTEM)
                .outcome("ok")
                .reason(note)
                .build())
        .mapEmpty();
  }

  /**
   * A pending request that waited {@code escalate_after}: from now on {@code escalate_to} may
   * approve and deny it too. Recorded with the rule, as the policy in force states it.
   */
  Future<Void> escalated(AccessRequest r, Escalation escalation) {
    return log.append(
            base("request.escalated", r)
                .actor(AuditEvent.Actor.SYSTEM)
                .outcome("ok")
                .reason(
                    "nobody decided within "
                        + Durations.format(escalation.after())
                        + "; escalate_to may now approve or deny it")
                .detail("escalate_to", escalation.to().source())
                .detail("escalate_after_seconds", escalation.after().toSeconds())
                .detail("approvals", r.approvalCount())
                .details(openStage(r))
                .build())
        .mapEmpty();
  }

  /** The approvers of a request still pending were reminded (once per {@code remind_after}). */
  Future<Void> reminded(AccessRequest r, Duration every) {
    long missing = (long) r.approvalsRequired() - r.approvalCount();
    return log.append(
            base("request.reminded", r)
                .actor(AuditEvent.Actor.SYSTEM)
                .outcome("ok")
                .reason(
                    "still waiting for "
                        + missing
                        + " more approval"
                        + (missing == 1 ? "" : "s")
                        + "; reminded every "
                        + Durations.format(every))
                .detail("remind_after_seconds", every.toSeconds())
                .detail("approvals", r.approvalCount())
                .detail("approvals_required", (long) r.approvalsRequired())
                .details(openStage(r))
                .build())
        .mapEmpty();
  }

  private static AuditEvent.Builder event(String type, Caller caller, AccessRequest r) {
    return caller.stamp(base(type, r));
  }

  private static AuditEvent.Builder base(String type, AccessRequest r) {
    AuditEvent.Builder b = AuditEvent.builder(type).requestId(r.id()).profile(r.profile());
    r.grant().ifPresent(g -> b.grantId(g.id()));
    return b;
  }
}
