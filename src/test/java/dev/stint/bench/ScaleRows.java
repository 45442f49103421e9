package dev.stint.bench;

import dev.stint.bench.ScaleRequests.Req;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;

/**
 * The generated requests as table rows: {@code access_requests}, {@code approvals}, {@code grants}
 * and {@code people_seen}, each loaded by COPY with only the columns it names, so a column added by
 * a later migration takes its default.
 */
final class ScaleRows {
  private ScaleRows() {}

  static String email(int person) {
    return ScaleSpec.person(person) + "@example.com";
  }

  /**
   * The second approver of a request that needs two: the next of the few who approve, or -1 when
   * there is nobody else (a tiny load) and the request got by with one.
   */
  static int secondApprover(Req r, ScaleSpec spec) {
    int second = (r.approver() + 1) % Math.max(1, spec.people() / 20);
    return second == r.person() || second == r.approver() ? -1 : second;
  }

  static long load(Connection c, ScaleSpec spec, List<Req> reqs) throws Exception {
    long rows = 0;
    try (CopyPipe p =
        new CopyPipe(
            c,
            "access_requests",
            "id, profile, requester_issuer,"
                + " requester_subject, requester_email, reason, duration_seconds, break_glass,"
                + " approvals_required, state, created_at, updated_at, version")) {
      for (Req r : reqs) {
        p.col(r.id())
            .col(r.profile())
            .col(ScaleSpec.ISSUER)
            .col(ScaleSpec.person(r.person()))
            .col(email(r.person()))
            .col(ScaleEvents.reason(r))
            .col(r.durationSeconds())
            .col(r.breakGlass())
            .col(r.approvalsRequired())
            .col(r.state())
            .col(r.createdAt())
            .col(
                r.revokedAt() != null
                    ? r.revokedAt()
                    : r.decidedAt() != null ? r.decidedAt() : r.createdAt())
            .col(r.decidedAt() == null ? 0 : r.revokedAt() == null ? 1 : 2);
        p.endRow();
      }
      rows += p.finish();
    }
    rows += approvals(c, spec, reqs);
    rows += grants(c, reqs);
    rows += people(c, spec);
    return rows;
  }

  private static long approvals(Connection c, ScaleSpec spec, List<Req> reqs) throws Exception {
    try (CopyPipe p =
        new CopyPipe(
            c,
            "approvals",
            "request_id, approver_issuer,"
                + " approver_subject, approver_email, decision, created_at")) {
      for (Req r : reqs) {
        boolean denied = r.state().equals("denied");
        if (!denied && !r.granted()) {
          continue;
        }
        p.col(r.id())
            .col(ScaleSpec.ISSUER)
            .col(ScaleSpec.person(r.approver()))
            .col(email(r.approver()))
            .col(denied ? "deny" : "approve")
            .col(r.decidedAt());
        p.endRow();
        int second = secondApprover(r, spec);
        if (!denied && r.approvalsRequired() == 2 && second >= 0) {
          p.col(r.id())
              .col(ScaleSpec.ISSUER)
              .col(ScaleSpec.person(second))
              .col(email(second))
              .col("approve")
              .col(r.decidedAt().minusSeconds(10));
          p.endRow();
        }
      }
      return p.finish();
    }
  }

  private static long grants(Connection c, List<Req> reqs) throws Exception {
    try (CopyPipe p =
        new CopyPipe(
            c,
            "grants",
            "id, request_id, profile, principal_issuer,"
                + " principal_subject, starts_at, ends_at, break_glass, revoked_at, revoked_by,"
                + " revoked_by_issuer, reviewed_at, reviewed_by, created_at")) {
      for (Req r : reqs) {
        if (!r.granted()) {
          continue;
        }
        boolean revoked = r.revokedAt() != null;
        boolean reviewed = r.breakGlass() && r.state().equals("expired");
        p.col(r.grantId())
            .col(r.id())
            .col(r.profile())
            .col(ScaleSpec.ISSUER)
            .col(ScaleSpec.person(r.person()))
            .col(r.decidedAt())
            .col(r.endsAt())
            .col(r.breakGlass())
            .col(r.revokedAt())
            .col(revoked ? ScaleSpec.person(r.approver()) : null)
            .col(revoked ? ScaleSpec.ISSUER : null)
            .col(reviewed ? r.endsAt().plus(Duration.ofHours(20)) : null)
            .col(reviewed ? ScaleSpec.person(r.approver()) : null)
            .col(r.decidedAt());
        p.endRow();
      }
      return p.finish();
    }
  }

  /** Everyone, seen within the last month (the sweeper forgets people not seen for longer). */
  private static long people(Connection c, ScaleSpec spec) throws Exception {
    try (CopyPipe p =
        new CopyPipe(c, "people_seen", "issuer, subject, principal, email," + " seen_at")) {
      long window = Duration.ofDays(29).toSeconds();
      for (int i = 0; i < spec.people(); i++) {
        String subject = ScaleSpec.person(i);
        JsonObject claims =
            new JsonObject()
                .put("sub", subject)
                .put("email", email(i))
                .put("groups", new JsonArray().add(i < spec.people() / 20 ? "sre" : "eng"));
        p.col(ScaleSpec.ISSUER)
            .col(subject)
            .col(
                new JsonObject()
                    .put("issuer", "corp")
                    .put("issuer_url", ScaleSpec.ISSUER)
                    .put("claims", claims)
                    .encode())
            .col(email(i))
            .col(spec.end().minusSeconds(window * i / spec.people()));
        p.endRow();
      }
      return p.finish();
    }
  }
}
