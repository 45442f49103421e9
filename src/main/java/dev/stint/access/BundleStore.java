package dev.stint.access;

import dev.stint.access.Bundles.Ref;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Which requests were made together (table {@code request_bundles}). */
final class BundleStore {
  static final String OF =
      "SELECT b.request_id, b.bundle_id, b.name, r.profile"
          + " FROM request_bundles b JOIN access_requests r ON r.id = b.request_id"
          + " WHERE b.bundle_id = (SELECT bundle_id FROM request_bundles WHERE request_id = $1"
          + " OR bundle_id = $1 LIMIT 1) ORDER BY b.position";
  static final String OF_REQUESTS =
      "SELECT b.request_id, b.bundle_id, b.name, r.profile"
          + " FROM request_bundles b JOIN access_requests r ON r.id = b.request_id"
          + " WHERE b.bundle_id IN (SELECT bundle_id FROM request_bundles WHERE request_id ="
          + " ANY($1)) ORDER BY b.bundle_id, b.position";

  private final Pool pool;

  BundleStore(Pool pool) {
    this.pool = pool;
  }

  Future<Void> tie(
      SqlConnection conn, String bundleId, Optional<String> name, List<AccessRequest> requests) {
    List<Tuple> rows = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      rows.add(Tuple.of(requests.get(i).id(), bundleId, name.orElse(null), i));
    }
    return conn.preparedQuery(
            "INSERT INTO request_bundles (request_id, bundle_id, name, position)"
                + " VALUES ($1, $2, $3, $4)")
        .executeBatch(rows)
        .mapEmpty();
  }

  /** The bundle with this id, or the one this request belongs to. */
  Future<Optional<Ref>> of(String id) {
    return pool.preparedQuery(OF)
        .execute(Tuple.of(id))
        .map(
            rows -> {
              List<Ref> refs = refs(rows);
              return refs.isEmpty() ? Optional.<Ref>empty() : Optional.of(refs.get(0));
            });
  }

  /** The bundles these requests belong to, by request id (requests in none are absent). */
  Future<Map<String, Ref>> ofRequests(Collection<String> requestIds) {
    if (requestIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return pool.preparedQuery(OF_REQUESTS)
        .execute(Tuple.of(requestIds.toArray(new String[0])))
        .map(
            rows -> {
              Map<String, Ref> out = new HashMap<>();
              for (Ref ref : refs(rows)) {
                ref.requestIds().forEach(id -> out.put(id, ref));
              }
              return out;
            });
  }

  private static List<Ref> refs(Iterable<Row> rows) {
    Map<String, List<String>> members = new LinkedHashMap<>();
    Map<String, List<String>> profiles = new HashMap<>();
    Map<String, Optional<String>> names = new HashMap<>();
    for (Row r : rows) {
      String bundle = r.getString("bundle_id");
      members.computeIfAbsent(bundle, k -> new ArrayList<>()).add(r.getString("request_id"));
      profiles.computeIfAbsent(bundle, k -> new ArrayList<>()).add(r.getString("profile"));
      names.put(bundle, Optional.ofNullable(r.getString("name")));
    }
    List<Ref> out = new ArrayList<>();
    members.forEach(
        (id, list) ->
            out.add(new Ref(id, names.get(id), List.copyOf(list), List.copyOf(profiles.get(id)))));
    return out;
  }
}
