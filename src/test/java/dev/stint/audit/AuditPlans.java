package dev.stint.audit;

import dev.stint.testing.PlannedQuery;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The audit reader's SQL, as it runs it, with parameters that name rows of the plan test's
 * generated data: actors {@code user-N} (and their emails), profiles {@code profile-N}.
 */
public final class AuditPlans {
  private AuditPlans() {}

  public static List<PlannedQuery> queries(Instant now) {
    List<PlannedQuery> out = new ArrayList<>();
    Optional<Instant> monthAgo = Optional.of(now.minusSeconds(86_400 * 30));
    Optional<String> none = Optional.empty();
    query(out, "audit: first page", q(Optional.empty(), none, none, none, none));
    query(out, "audit: by actor", q(Optional.empty(), Optional.of("user-42"), none, none, none));
    query(
        out,
        "audit: by actor's email",
        q(Optional.empty(), Optional.of("user-42@example.com"), none, none, none));
    query(
        out,
        "audit: by an actor with no events",
        q(Optional.empty(), Optional.of("user-never-seen"), none, none, none));
    query(
        out,
        "audit: by actor, later page",
        q(
            Optional.empty(),
            Optional.of("user-42"),
            none,
            none,
            Optional.of(AuditQuery.cursorAfter(150_000))));
    query(
        out,
        "audit: by common type",
        q(Optional.empty(), none, none, Optional.of("credential.issued"), none));
    query(
        out,
        "audit: by uncommon type",
        q(Optional.empty(), none, none, Optional.of("grant.expiring"), none));
    query(
        out,
        "audit: by rare type",
        q(Optional.empty(), none, none, Optional.of("outbox.dead"), none));
    query(
        out, "audit: by profile", q(Optional.empty(), none, Optional.of("profile-7"), none, none));
    query(
        out,
        "audit: by actor and type",
        q(Optional.empty(), Optional.of("user-42"), none, Optional.of("credential.issued"), none));
    query(out, "audit: last month", q(monthAgo, none, none, none, none));
    query(
        out,
        "audit: last month by rare type",
        q(monthAgo, none, none, Optional.of("outbox.dead"), none));
    out.add(
        PlannedQuery.of(
            "audit: a request's timeline",
            AuditReader.limited(AuditReader.OF_REQUEST, 200),
            "req_0050000",
            "grt_0050000"));
    out.add(
        PlannedQuery.of(
            "audit: the events after a seq",
            AuditReader.limited(AuditReader.AFTER, 500),
            150_000L));
    out.add(PlannedQuery.of("audit: head", AuditReader.HEAD));
    out.add(PlannedQuery.of("audit: the newest event, for a checkpoint", AuditReader.NEWEST));
    out.add(
        PlannedQuery.of(
            "audit: a request's event of one type",
            AuditReader.OF_TYPE,
            "req_0050000",
            "grant.activity"));
    // Retention reads one month in seq order, a page at a time, to export it.
    OffsetDateTime month =
        now.minus(Duration.ofDays(200))
            .atOffset(ZoneOffset.UTC)
            .withDayOfMonth(1)
            .truncatedTo(ChronoUnit.DAYS);
    out.add(
        PlannedQuery.of(
            "audit: a month for its export",
            AuditReader.limited(AuditReader.STAMPED, 5000),
            month,
            month.plusMonths(1),
            0L));
    return out;
  }

  private static AuditQuery q(
      Optional<Instant> since,
      Optional<String> actor,
      Optional<String> profile,
      Optional<String> type,
      Optional<String> cursor) {
    return new AuditQuery(since, Optional.empty(), actor, profile, type, cursor, 100);
  }

  private static void query(List<PlannedQuery> out, String name, AuditQuery q) {
    AuditReader.Statement st = AuditReader.statement(q);
    List<Object> params = new ArrayList<>();
    for (int i = 0; i < st.params().size(); i++) {
      params.add(st.params().getValue(i));
    }
    out.add(new PlannedQuery(name, st.sql(), params));
  }
}
