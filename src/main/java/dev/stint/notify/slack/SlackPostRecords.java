package dev.stint.notify.slack;

import dev.stint.common.Timestamps;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each subject's Slack messages are, one table per kind of subject: a request's ({@code
 * slack_messages}), an extension's, a finding's, an agent's ask's (a lease's). Every copy is
 * recorded (the channel's, the holder's and each approver's direct message), so a retried delivery
 * posts only where none is and a decision updates every copy. The tables differ only in the name of
 * their subject's column.
 */
public final class SlackPostRecords implements SlackPosts {
  private final Pool pool;
  private final String all;
  private final String posted;

  private SlackPostRecords(Pool pool, String table, String subject) {
    this.pool = pool;
    this.all =
        "SELECT channel, ts FROM "
            + table
            + " WHERE "
            + subject
            + " = $1 ORDER BY posted_at, channel";
    this.posted =
        "INSERT INTO "
            + table
            + " ("
            + subject
            + ", channel, ts, posted_at) VALUES ($1, $2, $3, $4) ON CONFLICT ("
            + subject
            + ", channel) DO NOTHING";
  }

  /** A request's messages: the channel's and each approver's direct message. */
  public static SlackPostRecords requests(Pool pool) {
    return new SlackPostRecords(pool, "slack_messages", "request_id");
  }

  public static SlackPostRecords extensions(Pool pool) {
    return new SlackPostRecords(pool, "slack_extension_messages", "extension_id");
  }

  /** A live finding's: the channel's, the holder's and each approver's direct message. */
  public static SlackPostRecords findings(Pool pool) {
    return new SlackPostRecords(pool, "slack_finding_messages", "finding_id");
  }

  /** An agent's ask's: the holder's direct message, the channel's and each approver's. */
  public static SlackPostRecords leases(Pool pool) {
    return new SlackPostRecords(pool, "slack_lease_messages", "lease_id");
  }

  @Override
  public Future<List<SlackPosts.Posted>> all(String id) {
    return pool.preparedQuery(all)
        .execute(Tuple.of(id))
        .map(
            rows -> {
              List<SlackPosts.Posted> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(new SlackPosts.Posted(r.getString("channel"), r.getString("ts")));
              }
              return out;
            });
  }

  /** A second post of one subject to one conversation keeps the first one's row. */
  @Override
  public Future<Void> posted(String id, SlackPosts.Posted posted, Instant at) {
    return pool.preparedQuery(this.posted)
        .execute(Tuple.of(id, posted.channel(), posted.ts(), Timestamps.utc(at)))
        .mapEmpty();
  }
}
