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
 * Where each agent's ask's Slack messages are (table {@code slack_lease_messages}): the holder's
 * direct message, the channel's and each approver's, so a retried delivery posts only where none is
 * and a decision updates every copy.
 */
public final class SlackLeaseMessages implements SlackPosts {
  private final Pool pool;

  public SlackLeaseMessages(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<List<SlackPosts.Posted>> all(String leaseId) {
    return pool.preparedQuery(
            "SELECT channel, ts FROM slack_lease_messages WHERE lease_id = $1"
                + " ORDER BY posted_at, channel")
        .execute(Tuple.of(leaseId))
        .map(
            rows -> {
              List<SlackPosts.Posted> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(new SlackPosts.Posted(r.getString("channel"), r.getString("ts")));
              }
              return out;
            });
  }

  /** A second post of one ask to one conversation keeps the first one's row. */
  @Override
  public Future<Void> posted(String leaseId, SlackPosts.Posted posted, Instant at) {
    return pool.preparedQuery(
            "INSERT INTO slack_lease_messages (lease_id, channel, ts, posted_at)"
                + " VALUES ($1, $2, $3, $4) ON CONFLICT (lease_id, channel) DO NOTHING")
        .execute(Tuple.of(leaseId, posted.channel(), posted.ts(), Timestamps.utc(at)))
        .mapEmpty();
  }
}
