package dev.stint.finding;

import dev.stint.common.Timestamps;
import dev.stint.finding.rules.BurstKind;
import dev.stint.finding.rules.EventRef;
import dev.stint.finding.rules.History;
import dev.stint.finding.rules.Judged;
import dev.stint.finding.rules.Origin;
import dev.stint.policy.FindingRule;
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
  static final String BURSTS =
      "SELECT scope, kind, event_id, event_name, event_source, at FROM finding_bursts"
          + " WHERE scope = ANY($1) AND at > $2";

  private BaselineStore() {}

  /** What came before {@code batch}, for its profiles, people and leases or grants. */
  static Future<History> load(SqlClient conn, List<Judged> batch) {
    History h = new History();
    String[] profiles = distinct(batch, j -> j.origin().profile());
    String[] scopes = distinct(batch, j -> j.origin().scope());
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
                      h.network(
                          new Origin.Holder(r.getString(0), r.getString(1)),
                          r.getString(2),
                          new History.Span(at(r, 3), at(r, 4))));
              Instant from = History.hourOf(first).minus(History.RATE_LOOK_BACK);
              return conn.preparedQuery(HOURS)
                  .execute(Tuple.tuple().addArrayOfString(profiles).addValue(Timestamps.utc(from)));
            })
        .compose(
            rows -> {
              rows.forEach(r -> h.hour(r.getString(0), at(r, 1), r.getLong(2)));
              Instant from = first.minus(FindingRule.MAX_WINDOW);
              return conn.preparedQuery(BURSTS)
                  .execute(Tuple.tuple().addArrayOfString(scopes).addValue(Timestamps.utc(from)));
            })
        .map(
            rows -> {
              rows.forEach(
                  r ->
                      h.burst(
                          r.getString(0),
                          kind(r.getString(1)),
                          new EventRef(r.getString(2), r.getString(3), r.getString(4), at(r, 5))));
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

  private static History.Span span(Row r) {
    return new History.Span(at(r, 2), at(r, 3));
  }

  private static Instant at(Row r, int column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t.toInstant();
  }
}
