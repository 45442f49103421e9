package dev.stint.finding;

import dev.stint.common.Timestamps;
import dev.stint.finding.rules.BurstKind;
import dev.stint.finding.rules.History;
import dev.stint.finding.rules.Judged;
import dev.stint.finding.rules.Observed;
import dev.stint.finding.rules.Origin;
import dev.stint.finding.rules.Span;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A judged batch folded into the baselines, in its transaction: each profile's services and regions
 * and each person's networks widened to the batch's calls' times, each profile's hours counted up,
 * each burst's calls added. One statement per table, the batch summed per key first (a statement
 * may touch a row once). And what is old enough to matter no more, dropped.
 */
final class BaselineWrites {
  static final String SERVICES =
      "INSERT INTO finding_profile_services (profile, service, first_seen, last_seen)"
          + " SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[])"
          + " ON CONFLICT (profile, service) DO UPDATE SET"
          + " first_seen = LEAST(finding_profile_services.first_seen, excluded.first_seen),"
          + " last_seen = GREATEST(finding_profile_services.last_seen, excluded.last_seen)";
  static final String REGIONS =
      "INSERT INTO finding_profile_regions (profile, region, first_seen, last_seen)"
          + " SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[])"
          + " ON CONFLICT (profile, region) DO UPDATE SET"
          + " first_seen = LEAST(finding_profile_regions.first_seen, excluded.first_seen),"
          + " last_seen = GREATEST(finding_profile_regions.last_seen, excluded.last_seen)";
  static final String NETWORKS =
      "INSERT INTO finding_person_networks (issuer, subject, network, first_seen, last_seen)"
          + " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[],"
          + " $5::timestamptz[]) ON CONFLICT (issuer, subject, network) DO UPDATE SET"
          + " first_seen = LEAST(finding_person_networks.first_seen, excluded.first_seen),"
          + " last_seen = GREATEST(finding_person_networks.last_seen, excluded.last_seen)";
  static final String HOURS =
      "INSERT INTO finding_profile_hours (profile, hour, calls)"
          + " SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::bigint[])"
          + " ON CONFLICT (profile, hour) DO UPDATE SET"
          + " calls = finding_profile_hours.calls + excluded.calls";
  static final String BURSTS =
      "INSERT INTO finding_bursts (scope, kind, event_id, event_name, event_source, at)"
          + " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],"
          + " $6::timestamptz[]) ON CONFLICT DO NOTHING";

  /** How long a burst's calls are kept: past any window a burst may have. */
  static final Duration BURSTS_KEPT = Duration.ofDays(1);

  /** How long hourly counts are kept: past the usual rate's look back. */
  static final Duration HOURS_KEPT = History.RATE_LOOK_BACK.plusDays(1);

  /**
   * How long a service, region or network is kept after it was last seen: past the novelty window,
   * with a day for calls judged late (one seen before the window is new again anyway).
   */
  static final Duration NOVELTY_KEPT = History.NOVELTY.plusDays(1);

  static final String PRUNE_BURSTS = "DELETE FROM finding_bursts WHERE at < $1";
  static final String PRUNE_HOURS = "DELETE FROM finding_profile_hours WHERE hour < $1";
  static final List<String> PRUNE_NOVELTY =
      List.of(
          "DELETE FROM finding_profile_services WHERE last_seen < $1",
          "DELETE FROM finding_profile_regions WHERE last_seen < $1",
          "DELETE FROM finding_person_networks WHERE last_seen < $1");

  private BaselineWrites() {}

  /** Folds {@code batch} into the baselines on {@code conn}. */
  static Future<Void> save(SqlClient conn, List<Judged> batch) {
    Map<List<String>, Span> services = new TreeMap<>(BaselineWrites::compare);
    Map<List<String>, Span> regions = new TreeMap<>(BaselineWrites::compare);
    Map<List<String>, Span> networks = new TreeMap<>(BaselineWrites::compare);
    Map<List<String>, Long> hours = new TreeMap<>(BaselineWrites::compare);
    List<BurstRow> bursts = new ArrayList<>();
    for (Judged j : batch) {
      Observed c = j.call();
      Origin o = j.origin();
      widen(services, List.of(o.profile(), c.service()), c.time());
      widen(regions, List.of(o.profile(), c.region()), c.time());
      c.network()
          .ifPresent(
              n ->
                  widen(networks, List.of(o.holder().issuer(), o.holder().subject(), n), c.time()));
      hours.merge(List.of(o.profile(), History.hourOf(c.time()).toString()), 1L, Long::sum);
      for (BurstKind kind : BurstKind.values()) {
        if (kind.counts(c)) {
          bursts.add(new BurstRow(o.scope(), kind, c));
        }
      }
    }
    return conn.preparedQuery(SERVICES)
        .execute(spans(services, 2))
        .compose(x -> conn.preparedQuery(REGIONS).execute(spans(regions, 2)))
        .compose(x -> conn.preparedQuery(NETWORKS).execute(spans(networks, 3)))
        .compose(x -> conn.preparedQuery(HOURS).execute(hours(hours)))
        .compose(x -> conn.preparedQuery(BURSTS).execute(bursts(bursts)))
        .mapEmpty();
  }

  /**
   * Drops burst calls, hourly counts, and services, regions and networks last seen too long ago for
   * any rule to read.
   */
  static Future<Void> prune(SqlClient client, Instant now) {
    Future<?> done =
        client
            .preparedQuery(PRUNE_BURSTS)
            .execute(Tuple.of(Timestamps.utc(now.minus(BURSTS_KEPT))))
            .compose(
                x ->
                    client
                        .preparedQuery(PRUNE_HOURS)
                        .execute(Tuple.of(Timestamps.utc(now.minus(HOURS_KEPT)))));
    Tuple novel = Tuple.of(Timestamps.utc(now.minus(NOVELTY_KEPT)));
    for (String prune : PRUNE_NOVELTY) {
      done = done.compose(x -> client.preparedQuery(prune).execute(novel));
    }
    return done.mapEmpty();
  }

  private static void widen(Map<List<String>, Span> into, List<String> key, Instant t) {
    into.merge(
        key,
        new Span(t, t),
        (a, b) ->
            new Span(
                a.first().isBefore(b.first()) ? a.first() : b.first(),
                a.last().isAfter(b.last()) ? a.last() : b.last()));
  }

  /** The keys' {@code parts} columns, then first and last seen. */
  private static Tuple spans(Map<List<String>, Span> rows, int parts) {
    Tuple t = Tuple.tuple();
    for (int i = 0; i < parts; i++) {
      int part = i;
      t.addArrayOfString(rows.keySet().stream().map(k -> k.get(part)).toArray(String[]::new));
    }
    return t.addArrayOfOffsetDateTime(times(rows.values().stream().map(Span::first)))
        .addArrayOfOffsetDateTime(times(rows.values().stream().map(Span::last)));
  }

  private static Tuple hours(Map<List<String>, Long> rows) {
    return Tuple.tuple()
        .addArrayOfString(rows.keySet().stream().map(k -> k.get(0)).toArray(String[]::new))
        .addArrayOfOffsetDateTime(times(rows.keySet().stream().map(k -> Instant.parse(k.get(1)))))
        .addArrayOfLong(rows.values().toArray(Long[]::new));
  }

  /** A call a burst of {@code kind} counts, made with a credential of {@code scope}. */
  private record BurstRow(String scope, BurstKind kind, Observed call) {}

  private static Tuple bursts(List<BurstRow> rows) {
    return Tuple.tuple()
        .addArrayOfString(rows.stream().map(BurstRow::scope).toArray(String[]::new))
        .addArrayOfString(rows.stream().map(r -> r.kind().code()).toArray(String[]::new))
        .addArrayOfString(rows.stream().map(r -> r.call().eventId()).toArray(String[]::new))
        .addArrayOfString(rows.stream().map(r -> r.call().name()).toArray(String[]::new))
        .addArrayOfString(rows.stream().map(r -> r.call().source()).toArray(String[]::new))
        .addArrayOfOffsetDateTime(times(rows.stream().map(r -> r.call().time())));
  }

  private static OffsetDateTime[] times(Stream<Instant> instants) {
    return instants.map(Timestamps::utc).toArray(OffsetDateTime[]::new);
  }

  private static int compare(List<String> a, List<String> b) {
    for (int i = 0; i < a.size(); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
