package dev.stint.review;

import dev.stint.access.Caller;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The audit events of access reviews: {@code review.opened}, {@code review.decided} (one per item,
 * with the evidence the reviewer saw), {@code review.closed}, {@code eligibility.suspended} and
 * {@code eligibility.restored}, and {@code review.refused} for every refused open, read, decision
 * or restore. They are in the signed chain with every other event, so {@code stint audit verify}
 * covers a review's evidence and decisions.
 */
final class ReviewAudit {
  private final AuditLog log;

  ReviewAudit(AuditLog log) {
    this.log = log;
  }

  /** Opened by {@code by} (the schedule when empty). */
  Future<Void> opened(Optional<Caller> by, Review r) {
    AuditEvent.Builder b =
        of(by, "review.opened", r)
            .outcome("ok")
            .reason(by.isPresent() ? "opened on demand" : "opened on schedule")
            .detail("items", (long) r.items().size())
            .detail("period_start", r.periodStart().toString())
            .detail("due_at", r.dueAt().toString())
            .detail("when_overdue", r.whenOverdue().code());
    return log.append(b.build()).mapEmpty();
  }

  /** One item decided, by a reviewer ({@code by}) or by the review's due date. */
  Future<Void> decided(Optional<Caller> by, Review r, ReviewItem item, ReviewItem.Decision d) {
    AuditEvent.Builder b =
        of(by, "review.decided", r)
            .outcome("ok")
            .reason(d.comment().orElse(null))
            .detail("person", person(item.person()))
            .detail("decision", d.choice().code())
            .detail("overdue", d.overdue())
            .detail("suggestion", item.suggestion().choice().code())
            .detail("grants", (long) item.evidence().grants())
            .detail("calls", item.evidence().calls())
            .detail("unused_grants", (long) item.evidence().unusedGrants());
    item.evidence().unusedUnseen().ifPresent(n -> b.detail("unused_unseen", (long) n));
    item.evidence().lastMinted().ifPresent(t -> b.detail("last_minted", t.toString()));
    return log.append(b.build()).mapEmpty();
  }

  /** Closed: every item decided, or the rest by its due date. */
  Future<Void> closed(Optional<Caller> by, Review r, Review.Closed.How how) {
    ReviewProgress p = ReviewProgress.of(r);
    AuditEvent.Builder b =
        of(by, "review.closed", r)
            .outcome("ok")
            .reason(how == Review.Closed.How.DECIDED ? "every item decided" : "due")
            .detail("how", how.code())
            .detail("kept", (long) p.kept())
            .detail("removed", (long) p.removed());
    return log.append(b.build()).mapEmpty();
  }

  /** {@code person}'s eligibility for the review's profile suspended by its removal. */
  Future<Void> suspended(Optional<Caller> by, Review r, Person person, int grantsRevoked) {
    AuditEvent.Builder b =
        of(by, "eligibility.suspended", r)
            .outcome("ok")
            .reason("removed by access review " + r.id())
            .detail("person", person(person))
            .detail("grants_revoked", (long) grantsRevoked);
    return log.append(b.build()).mapEmpty();
  }

  /** A suspension lifted, by an admin or by review {@code keptBy} keeping the person. */
  Future<Void> restored(
      Optional<Caller> by,
      String profile,
      Person person,
      String suspendedBy,
      Optional<String> keptBy) {
    AuditEvent.Builder b =
        actor(by, AuditEvent.builder("eligibility.restored"))
            .profile(profile)
            .outcome("ok")
            .reason(keptBy.map(id -> "kept by access review " + id).orElse("restored by an admin"))
            .detail("person", person(person))
            .detail("suspended_by", suspendedBy);
    keptBy.ifPresent(id -> b.detail("review_id", id));
    return log.append(b.build()).mapEmpty();
  }

  /** A refused {@code action} ({@code open}, {@code read}, {@code decide}, {@code restore}). */
  <T> Future<T> refused(
      Caller caller,
      String action,
      Optional<String> profile,
      Optional<String> reviewId,
      Throwable why) {
    if (!(why instanceof StintException refused)) {
      return Future.failedFuture(why);
    }
    AuditEvent.Builder b =
        caller
            .event("review.refused")
            .profile(profile.orElse(null))
            .outcome("refused")
            .reason(refused.detail())
            .detail("action", action)
            .detail("code", refused.code().code());
    reviewId.ifPresent(id -> b.detail("review_id", id));
    return log.append(b.build()).transform(done -> Future.failedFuture(why));
  }

  /**
   * A review the schedule could not open, by stint: {@code review.refused}, action {@code open}.
   */
  Future<Void> scheduleFailed(String profile, Throwable why) {
    AuditEvent.Builder b =
        AuditEvent.builder("review.refused")
            .actor(AuditEvent.Actor.SYSTEM)
            .profile(profile)
            .outcome("refused")
            .reason(why instanceof StintException s ? s.detail() : "the review could not be opened")
            .detail("action", "open")
            .detail("code", why instanceof StintException s ? s.code().code() : "unavailable");
    return log.append(b.build()).mapEmpty();
  }

  private static AuditEvent.Builder of(Optional<Caller> by, String type, Review r) {
    return actor(by, AuditEvent.builder(type)).profile(r.profile()).detail("review_id", r.id());
  }

  private static AuditEvent.Builder actor(Optional<Caller> by, AuditEvent.Builder b) {
    return by.map(c -> c.stamp(b)).orElseGet(() -> b.actor(AuditEvent.Actor.SYSTEM));
  }

  private static Map<String, Object> person(Person p) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("issuer", p.issuer());
    out.put("subject", p.subject());
    p.email().ifPresent(e -> out.put("email", e));
    return out;
  }
}
