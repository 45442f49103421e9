package dev.stint.activity;

import dev.stint.audit.AuditEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The audit's evidence of a grant's use once it has settled: {@code grant.activity}, and {@code
 * lease.activity} for each task lease that minted on it. Each says what was seen and what could not
 * have been ({@link Visibility}), so "no call seen" is recorded as "unused" only where every call
 * the credentials could make would have been seen. Pure.
 */
final class ActivityAuditEvents {
  private ActivityAuditEvents() {}

  /** {@code lease.activity}: the calls made with one lease's credentials, its grant settled. */
  static AuditEvent lease(String requestId, ActivityStore.LeaseUse use) {
    ActivitySummary s = use.summary();
    Visibility v = use.visibility();
    AuditEvent.Builder b =
        AuditEvent.builder("lease.activity")
            .actor(AuditEvent.Actor.SYSTEM)
            .requestId(requestId)
            .outcome("ok")
            .detail("lease_id", use.leaseId())
            .detail("calls", s.calls())
            .detail("errors", s.errors())
            .detail("services", new TreeMap<>(s.services()))
            .detail("looked_up", s.credentials())
            .detail("visibility", visibility(v))
            .detail("unused", s.noCallSeen() && v.whole());
    s.firstAt().ifPresent(t -> b.detail("first_at", t.toString()));
    s.lastAt().ifPresent(t -> b.detail("last_at", t.toString()));
    return b.reason(reason(s, v, s.noCallSeen() ? "no call seen" : calls(s))).build();
  }

  /**
   * {@code grant.activity}: the summary, how many credentials the grant handed out in all (detail
   * {@code issued}), and what could not have been seen of their calls: then {@code calls_unknown}
   * is true, so that "no call seen" does not read as "not used".
   */
  static AuditEvent grant(String requestId, ActivitySummary s, long issued, Visibility v) {
    AuditEvent.Builder b =
        AuditEvent.builder("grant.activity")
            .actor(AuditEvent.Actor.SYSTEM)
            .requestId(requestId)
            .outcome("ok")
            .detail("calls", s.calls())
            .detail("errors", s.errors())
            .detail("services", new TreeMap<>(s.services()))
            .detail("issued", issued)
            .detail("looked_up", s.credentials())
            .detail("calls_unknown", !v.whole())
            .detail("visibility", visibility(v))
            .detail("unused", s.noCallSeen() && v.whole());
    s.firstAt().ifPresent(t -> b.detail("first_at", t.toString()));
    s.lastAt().ifPresent(t -> b.detail("last_at", t.toString()));
    String seen =
        issued == 0
            ? "the grant handed out no credential"
            : s.noCallSeen() ? (v.whole() ? "the grant was not used" : "no call seen") : calls(s);
    return b.reason(reason(s, v, seen)).build();
  }

  /** {@code {whole, seen, unseen}}, each kind by its code. */
  static Map<String, Object> visibility(Visibility v) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("whole", v.whole());
    out.put("seen", v.seen().stream().map(Visibility.Seen::code).toList());
    out.put("unseen", v.unseen().stream().map(Visibility.Unseen::code).toList());
    return out;
  }

  private static String calls(ActivitySummary s) {
    return s.calls() + " calls to " + String.join(", ", new TreeMap<>(s.services()).keySet());
  }

  /** What was seen, then why calls may have gone unseen. */
  private static String reason(ActivitySummary s, Visibility v, String seen) {
    List<String> unseen = v.unseenWords();
    if (unseen.isEmpty()) {
      return seen;
    }
    return seen
        + (s.noCallSeen() ? ", but not every call is visible: " : "; ")
        + String.join("; ", unseen);
  }
}
