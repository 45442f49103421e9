package dev.stint.activity;

import dev.stint.cloud.Cloud;
import io.vertx.sqlclient.Row;
import java.util.List;

/**
 * What the lookups of some credentials tell of what stint can see of their calls, read the same way
 * for a request, a lease and each grant of an access review: how many are AWS sessions looked up in
 * CloudTrail and Entra tokens looked up in the Activity Log ({@code activity_lookups}), and the
 * accounts of those sessions from which the push delivered no data event since the session was
 * issued ({@code activity_data_pushed}); {@link Visibility} decides what that means.
 */
final class LookupFacts {
  private static final String AWS = "l.cloud = '" + Cloud.AWS.name() + "'";

  private static final String COLUMNS =
      "count(*) FILTER (WHERE "
          + AWS
          + ") AS aws_sessions, count(*) FILTER (WHERE l.cloud = '"
          + Cloud.AZURE.name()
          + "') AS azure_tokens, COALESCE(array_agg(DISTINCT COALESCE(l.account, ''))"
          + " FILTER (WHERE "
          + AWS
          + " AND d.account IS NULL), '{}') AS silent";

  /**
   * The push has delivered a data event from the credential's account since the credential was
   * issued (less the minute by which {@code last_at} may lag): one seen before the credential only
   * says the trail logged data events then, not that it still did while the credential lived.
   */
  private static final String FROM =
      " FROM activity_lookups l LEFT JOIN activity_data_pushed d ON d.account = l.account"
          + " AND d.last_at >= l.issued_at - interval '2 minutes' WHERE ";

  private LookupFacts() {}

  /**
   * The columns {@code aws_sessions}, {@code azure_tokens} and {@code silent} (the accounts, an
   * empty string for one stint could not tell) over the lookups {@code condition} names, on {@code
   * l}; the condition's column names need no table's name, {@code activity_data_pushed} having none
   * of them.
   */
  static String over(String condition) {
    return "SELECT " + COLUMNS + FROM + condition;
  }

  /** As {@link #over}, one row per request, with its {@code request_id}. */
  static String byRequest(String condition) {
    return "SELECT l.request_id, " + COLUMNS + FROM + condition + " GROUP BY l.request_id";
  }

  /** What {@code r}, a row of {@link #over}, shows of the calls of {@code issued} credentials. */
  static Visibility visibility(Row r, long issued, Visibility.Push push) {
    String[] silent = r.getArrayOfStrings("silent");
    return Visibility.of(
        new Visibility.Facts(
            issued,
            r.getLong("aws_sessions"),
            r.getLong("azure_tokens"),
            push,
            silent == null ? List.of() : List.of(silent)));
  }
}
