package dev.stint.access;

import static dev.stint.access.RequestRows.GRANT_COLUMNS;
import static dev.stint.access.RequestRows.REQUEST_COLUMNS;
import static dev.stint.access.RequestRows.VOTE_COLUMNS;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.common.ParameterValues;
import dev.stint.common.Timestamps;
import dev.stint.identity.Person;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of the access store's reads, built here and nowhere else: {@link AccessStore} runs
 * exactly these, and the query-plan test explains exactly these against a large database, so a
 * query cannot change without its plan being checked again.
 */
final class RequestQueries {
  /** A statement and its parameters, in order. */
  record Sql(String text, List<Object> args) {}

  static final String FIND = "SELECT " + REQUEST_COLUMNS + " FROM access_requests WHERE id = $1";
  static final String VOTES_OF =
      "SELECT " + VOTE_COLUMNS + " FROM approvals WHERE request_id = ANY($1) ORDER BY created_at";
  static final String GRANTS_OF =
      "SELECT " + GRANT_COLUMNS + " FROM grants WHERE request_id = ANY($1)";
  static final String LONGEST_ACTIVE_GRANT =
      "SELECT "
          + prefixed("g", GRANT_COLUMNS)
          + " FROM grants g JOIN access_requests r ON r.id = g.request_id"
          + " WHERE g.principal_issuer = $1 AND g.principal_subject = $2 AND g.profile = $3"
          + " AND g.revoked_at IS NULL AND g.starts_at <= $4 AND g.ends_at > $4"
          + " AND r.state = 'approved' AND r.ci_rule IS NOT DISTINCT FROM $5"
          + " AND g.parameters = $6"
          + " ORDER BY g.ends_at DESC, g.id LIMIT 1";

  /** A request's grant, with its holder: the request's requester. */
  static final String GRANT_OF_REQUEST =
      "SELECT "
          + prefixed("g", GRANT_COLUMNS)
          + ", r.requester_issuer, r.requester_subject, r.requester_email"
          + " FROM grants g JOIN access_requests r ON r.id = g.request_id"
          + " WHERE g.request_id = $1";

  static final String FIND_BY_GRANT =
      "SELECT "
          + REQUEST_COLUMNS
          + " FROM access_requests"
          + " WHERE id = (SELECT request_id FROM grants WHERE id = $1)";
  static final String PENDING_UNDER_CI_RULE =
      "SELECT "
          + REQUEST_COLUMNS
          + " FROM access_requests WHERE state = 'pending'"
          + " AND requester_issuer = $1 AND requester_subject = $2 AND profile = $3"
          + " AND ci_rule = $4 ORDER BY created_at DESC, id LIMIT 1";
  static final String NEXT_TIMED_OUT =
      "SELECT "
          + REQUEST_COLUMNS
          + " FROM access_requests WHERE state = 'pending'"
          + " AND created_at <= $1 ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED";
  static final String NEXT_EXPIRED =
      "SELECT "
          + prefixed("r", REQUEST_COLUMNS)
          + " FROM access_requests r JOIN grants g"
          + " ON g.request_id = r.id WHERE r.state = 'approved' AND g.ends_at <= $1"
          + " ORDER BY g.ends_at LIMIT 1 FOR UPDATE OF r SKIP LOCKED";
  static final String NEXT_REMINDER =
      "SELECT "
          + prefixed("r", REQUEST_COLUMNS)
          + " FROM access_requests r JOIN grants g"
          + " ON g.request_id = r.id WHERE r.state = 'approved' AND g.revoked_at IS NULL"
          + " AND g.reminded_at IS NULL AND g.starts_at <= $1 AND g.ends_at > $1"
          + " AND g.ends_at <= $2 ORDER BY g.ends_at LIMIT 1 FOR UPDATE OF r SKIP LOCKED";

  private RequestQueries() {}

  /**
   * A page of requests, newest first, one more row than the page asks for (whether more remain).
   * The cursor's condition repeats {@code created_at <= $} on its own so that it bounds the index
   * scan; the OR beside it only breaks ties on the same instant.
   */
  static Sql list(Requests.Filter filter) {
    StringBuilder sql =
        new StringBuilder("SELECT " + prefixed("r", REQUEST_COLUMNS) + " FROM access_requests r");
    List<Object> args = new ArrayList<>();
    List<String> where = new ArrayList<>();
    if (filter.needsReview()) {
      sql.append(" JOIN grants g ON g.request_id = r.id");
      where.add("g.break_glass AND g.reviewed_at IS NULL");
    }
    if (!filter.states().isEmpty()) {
      args.add(filter.states().stream().map(RequestState::code).sorted().toArray(String[]::new));
      where.add("r.state = ANY($" + args.size() + ")");
    }
    filter
        .requester()
        .ifPresent(
            p -> {
              args.add(p.issuer());
              args.add(p.subject());
              where.add(
                  "r.requester_issuer = $"
                      + (args.size() - 1)
                      + " AND r.requester_subject = $"
                      + args.size());
            });
    filter
        .profile()
        .ifPresent(
            p -> {
              args.add(p);
              where.add("r.profile = $" + args.size());
            });
    filter
        .after()
        .ifPresent(
            c -> {
              args.add(Timestamps.utc(c.createdAt()));
              args.add(c.id());
              int at = args.size() - 1;
              where.add(
                  "r.created_at <= $"
                      + at
                      + " AND (r.created_at < $"
                      + at
                      + " OR r.id > $"
                      + args.size()
                      + ")");
            });
    if (!where.isEmpty()) {
      sql.append(" WHERE ").append(String.join(" AND ", where));
    }
    // The limit in the text rather than a parameter, so that Postgres can settle on one cached
    // plan instead of planning every page afresh (see AuditReader.limited).
    sql.append(" ORDER BY r.created_at DESC, r.id LIMIT ").append(filter.limit() + 1);
    return new Sql(sql.toString(), args);
  }

  static List<Object> longestActiveGrantArgs(
      Person holder, String profile, Instant now, Optional<String> ciRule, ParameterValues values) {
    List<Object> args =
        new ArrayList<>(List.of(holder.issuer(), holder.subject(), profile, Timestamps.utc(now)));
    args.add(ciRule.orElse(null));
    args.add(RequestRows.parametersJson(Narrowed.asked(values)));
    return args;
  }

  static String prefixed(String alias, String columns) {
    return alias + "." + columns.replace(", ", ", " + alias + ".");
  }
}
