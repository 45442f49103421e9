package dev.stint.access;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads requests whole: the request rows a query found, with their votes and grants loaded by two
 * more queries for any number of rows, on the caller's connection (inside its transaction and row
 * locks when it holds them).
 */
final class RequestLoader {
  private RequestLoader() {}

  /** The requests in {@code rows}, each with its votes and grant. */
  static Future<List<AccessRequest>> load(SqlConnection conn, RowSet<Row> rows) {
    List<Row> requestRows = new ArrayList<>();
    rows.forEach(requestRows::add);
    if (requestRows.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    String[] ids = requestRows.stream().map(r -> r.getString("id")).toArray(String[]::new);
    Map<String, List<Vote>> votes = new HashMap<>();
    Map<String, Row> grants = new HashMap<>();
    return conn.preparedQuery(RequestQueries.VOTES_OF)
        .execute(Tuple.of(ids))
        .compose(
            voteRows -> {
              voteRows.forEach(
                  v ->
                      votes
                          .computeIfAbsent(v.getString("request_id"), k -> new ArrayList<>())
                          .add(RequestRows.vote(v)));
              return conn.preparedQuery(RequestQueries.GRANTS_OF).execute(Tuple.of(ids));
            })
        .map(
            grantRows -> {
              grantRows.forEach(g -> grants.put(g.getString("request_id"), g));
              List<AccessRequest> out = new ArrayList<>();
              for (Row row : requestRows) {
                String id = row.getString("id");
                AccessRequest bare =
                    RequestRows.request(row, votes.getOrDefault(id, List.of()), Optional.empty());
                Optional<Grant> grant =
                    Optional.ofNullable(grants.get(id))
                        .map(g -> RequestRows.grant(g, bare.requester()));
                out.add(RequestRows.request(row, bare.votes(), grant));
              }
              return out;
            });
  }
}
