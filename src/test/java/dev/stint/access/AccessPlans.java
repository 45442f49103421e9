package dev.stint.access;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.common.ParameterValues;
import dev.stint.common.Timestamps;
import dev.stint.identity.Person;
import dev.stint.outbox.Outbox;
import dev.stint.outbox.OutboxWorker;
import dev.stint.testing.PlannedQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The access package's SQL, as its stores run it, with parameters that name rows of the plan test's
 * generated data (people {@code user-N}, profiles {@code profile-N}, requests {@code req_NNNNNNN},
 * grants {@code grt_NNNNNNN}, bundles {@code bdl_N}).
 */
public final class AccessPlans {
  private AccessPlans() {}

  public static List<PlannedQuery> queries(String issuer, Instant now) {
    Person someone = new Person(issuer, "user-42", Optional.empty());
    Person nobody = new Person(issuer, "user-never-seen", Optional.empty());
    String[] page = {"req_0099990", "req_0099991", "req_0099992", "req_0000007"};
    List<PlannedQuery> out = new ArrayList<>();
    list(out, "requests: all", filter(Set.of(), Optional.empty(), Optional.empty(), false));
    list(
        out,
        "requests: pending",
        filter(Set.of(RequestState.PENDING), Optional.empty(), Optional.empty(), false));
    list(
        out,
        "requests: approved or expired",
        filter(
            Set.of(RequestState.APPROVED, RequestState.EXPIRED),
            Optional.empty(),
            Optional.empty(),
            false));
    list(out, "requests: mine", filter(Set.of(), Optional.of(someone), Optional.empty(), false));
    list(
        out,
        "requests: mine, nobody's",
        filter(Set.of(), Optional.of(nobody), Optional.empty(), false));
    list(
        out,
        "requests: by profile",
        filter(Set.of(), Optional.empty(), Optional.of("profile-7"), false));
    list(
        out,
        "requests: needing review",
        filter(Set.of(), Optional.empty(), Optional.empty(), true));
    list(
        out,
        "requests: page after a cursor",
        filter(Set.of(), Optional.empty(), Optional.empty(), false)
            .after(new Requests.Cursor(now.minusSeconds(86_400 * 200), "req_0050000")));
    list(
        out,
        "requests: mine, after a cursor",
        filter(Set.of(), Optional.of(someone), Optional.empty(), false)
            .after(new Requests.Cursor(now.minusSeconds(86_400 * 200), "req_0050000")));
    out.add(new PlannedQuery("request by id", RequestQueries.FIND, List.of("req_0050000")));
    out.add(PlannedQuery.of("hydrate: votes", RequestQueries.VOTES_OF, (Object) page));
    out.add(PlannedQuery.of("hydrate: grants", RequestQueries.GRANTS_OF, (Object) page));
    out.add(
        new PlannedQuery(
            "longest active grant",
            RequestQueries.LONGEST_ACTIVE_GRANT,
            RequestQueries.longestActiveGrantArgs(
                someone, "profile-42", now, Optional.empty(), ParameterValues.NONE)));
    out.add(
        new PlannedQuery(
            "longest active grant, CI rule",
            RequestQueries.LONGEST_ACTIVE_GRANT,
            RequestQueries.longestActiveGrantArgs(
                someone, "profile-42", now, Optional.of("deploy"), ParameterValues.NONE)));
    out.add(PlannedQuery.of("request of a grant", RequestQueries.FIND_BY_GRANT, "grt_0050000"));
    out.add(PlannedQuery.of("grant of a request", RequestQueries.GRANT_OF_REQUEST, "req_0050000"));
    out.add(
        PlannedQuery.of(
            "pending under a CI rule",
            RequestQueries.PENDING_UNDER_CI_RULE,
            issuer,
            "user-42",
            "profile-42",
            "deploy"));
    out.add(
        PlannedQuery.of(
            "sweep: timed out",
            RequestQueries.NEXT_TIMED_OUT,
            Timestamps.utc(now.minusSeconds(86_400))));
    out.add(PlannedQuery.of("sweep: expired", RequestQueries.NEXT_EXPIRED, Timestamps.utc(now)));
    out.add(
        PlannedQuery.of(
            "sweep: reminder",
            RequestQueries.NEXT_REMINDER,
            Timestamps.utc(now),
            Timestamps.utc(now.plusSeconds(900))));
    String[] profiles = {"profile-7", "profile-8"};
    String[] due = {now.minusSeconds(3600).toString(), now.minusSeconds(7200).toString()};
    String[] stages = {"approval", "security"};
    for (RoutingStore.Mark mark : RoutingStore.Mark.values()) {
      out.add(
          PlannedQuery.of(
              "sweep: " + mark.name().toLowerCase(Locale.ROOT),
              mark.select(),
              profiles,
              stages,
              due));
    }
    out.add(
        PlannedQuery.of(
            "sweep: end_when checks",
            GrantStore.CLAIM_END_CHECKS,
            profiles,
            Timestamps.utc(now),
            Timestamps.utc(now.minusSeconds(60))));
    out.add(PlannedQuery.of("bundle of", BundleStore.OF, "bdl_5000"));
    out.add(PlannedQuery.of("bundles of a page", BundleStore.OF_REQUESTS, (Object) page));
    out.add(PlannedQuery.of("outbox: undelivered", Outbox.UNDELIVERED, 100));
    out.add(PlannedQuery.of("outbox: backlog", Outbox.BACKLOG, Timestamps.utc(now)));
    out.add(
        PlannedQuery.of(
            "outbox: claim",
            OutboxWorker.CLAIM,
            Timestamps.utc(now),
            Timestamps.utc(now.plusSeconds(60)),
            new String[] {"slack", "webhook"}));
    return out;
  }

  private static Requests.Filter filter(
      Set<RequestState> states,
      Optional<Person> requester,
      Optional<String> profile,
      boolean needsReview) {
    return new Requests.Filter(states, requester, profile, needsReview, 100);
  }

  private static void list(List<PlannedQuery> out, String name, Requests.Filter filter) {
    RequestQueries.Sql sql = RequestQueries.list(filter);
    out.add(new PlannedQuery(name, sql.text(), sql.args()));
  }
}
