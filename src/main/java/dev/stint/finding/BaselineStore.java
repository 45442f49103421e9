package dev.stint.finding;

import dev.stint.common.Timestamps;
import dev.stint.finding.rules.BurstKind;
import dev.stint.finding.rules.EventRef;
import dev.stint.finding.rules.History;
import dev.stint.finding.rules.Judged;
import dev.stint.finding.rules.Origin;
import dev.stint.finding.rules.Span;
import dev.stint.policy.FindingRule;
import dev.stint.policy.RuleInForce;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The baselines the rules compare with, read for one batch into a {@link History} and brought up to
 * date with the batch in the same transaction ({@link BaselineWrites}): never by reading the calls
 * again. Each read is of the batch's profiles, people and leases or grants only, and of what the
 * rules' windows read: services, regions and networks last seen within {@link History#NOVELTY} of
 * the batch's first call, hours within {@link History#RATE_LOOK_BACK}.
 */
final class BaselineStore {
  static final String SERVICES =
      "SELECT profile, service, first_seen, last_seen FROM finding_profile_services"
          + " WHERE profile = ANY($1) AND last_seen >= $2";
  static final String REGIONS =
      "SELECT profile, region, first_seen, last_seen FROM finding_profile_regions"
          + " WHERE profile = ANY($1) AND last_seen >= $2";
  static final String NETWORKS =
      "SELECT n.issuer, n.subject, n.network, n.first_seen, n.last_seen"
          + " FROM finding_person_networks n"
          + " JOIN unnest($1::text[], $2::text[]) AS p(issuer, subject)"
          + " ON n.issuer = p.issuer AND n.subject = p.subject WHERE n.last_seen >= $3";
  static final String HOURS =
      "SELECT profile, hour, calls FROM finding_profile_hours WHERE profile = ANY($1) AND hour >= $2";

  /**
   * For each call a burst counts, the newest of its scope's calls of its kind within its window, at
   * most the rule's threshold: however many calls a scope made, no more is needed to tell whether
   * the window reaches the threshold exactly, and, when it does, to list every call in it.
   */
  static final String BURSTS =
      "SELECT DISTINCT b.scope, b.kind, b.event_id, b.event_name, b.event_source, b.at"
          + " FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[],"
          + " $5::int[]) AS q(scope, kind, after, upto, n) CROSS JOIN LATERAL"
          + " (SELECT f.scope, f.kind, f.event_id, f.event_name, f.event_source, f.at"
          + " FROM finding_bursts f WHERE f.scope = q.scope AND f.kind = q.kind"
          + " AND f.at > q.after AND f.at <= q.upto ORDER BY f.at DESC LIMIT q.n) b"
          + " ORDER BY b.at, b.event_id";

  private BaselineStore() {}

  /**
   * What came before {@code batch}, for its profiles, people and leases or grants, each burst read
   * as {@code inForce} has its rule on the call's profile.
   */
  static Future<History> load(
      SqlClient conn, List<Judged> batch, BiFunction<FindingRule, String, RuleInForce> inForce) {
    History h = new History();
    String[] profiles = distinct(batch, j -> j.origin().profile());
    List<Origin.Holder> people = batch.stream().map(j -> j.origin().holder()).distinct().toList();
    Instant first = batch.stream().map(j -> j.call().time()).min(Comparator.naturalOrder()).get();
    // What the novelty rules read of the batch's first call: anything last seen earlier is new.
    OffsetDateTime novel = Timestamps.utc(first.minus(History.NOVELTY));
    return conn.preparedQuery(SERVICES)
        .execute(Tuple.tuple().addArrayOfString(profiles).addValue(novel))
        .compose(
            rows -> {
              rows.forEach(r -> h.service(r.getString(0), r.getString(1), span(r)));
              return conn.preparedQuery(REGIONS)
                  .execute(Tuple.tuple().addArrayOfString(profiles).addValue(novel));
            })
        .compose(
            rows -> {
              rows.forEach(r -> h.region(r.getString(0), r.getString(1), span(r)));
              return conn.preparedQuery(NETWORKS)
                  .execute(
                      Tuple.tuple()
                          .addArrayOfString(
                              people.stream().map(Origin.Holder::issuer).toArray(String[]::new))
                          .addArrayOfString(
                              people.stream().map(Origin.Holder::subject).toArray(String[]::new))
                          .addValue(novel));
            })
        .compose(
            rows -> {
              rows.forEach(
                  r ->
                      h.networks()
                          .add(
                              new Origin.Holder(r.getString(0), r.getString(1)),
                              r.getString(2),
                              new Span(at(r, 3), at(r, 4))));
              Instant from = History.hourOf(first).minus(History.RATE_LOOK_BACK);
              return conn.preparedQuery(HOURS)
                  .execute(Tuple.tuple().addArrayOfString(profiles).addValue(Timestamps.utc(from)));
            })
        .compose(
            rows -> {
              rows.forEach(r -> h.hour(r.getString(0), at(r, 1), r.getLong(2)));
              return conn.preparedQuery(BURSTS).execute(BurstWindows.of(batch, inForce).tuple());
            })
        .map(
            rows -> {
              rows.forEach(
                  r ->
                      h.bursts()
                          .add(
                              r.getString(0),
                              kind(r.getString(1)),
                              new EventRef(
                                  r.getString(2), r.getString(3), r.getString(4), at(r, 5))));
              return h;
            });
  }

  private static String[] distinct(List<Judged> batch, Function<Judged, String> key) {
    Set<String> out = new TreeSet<>();
    batch.forEach(j -> out.add(key.apply(j)));
    return out.toArray(String[]::new);
  }

  private static BurstKind kind(String code) {
    return code.equals(BurstKind.SECRET.code()) ? BurstKind.SECRET : BurstKind.DENIED;
  }

  private static Span span(Row r) {
    return new Span(at(r, 2), at(r, 3));
  }

  private static Instant at(Row r, int column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t.toInstant();
  }
}
