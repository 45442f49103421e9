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
 * Where each live finding's Slack messages are (table {@code slack_finding_messages}): the
 * channel's, the holder's and each approver's direct message, so a retried delivery posts only
 * where none is and a Revoke click updates every copy.
 */
public final class SlackFindingMessages implements SlackPosts {
  private final Pool pool;

  public SlackFindingMessages(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<List<SlackMessages.Posted>> all(String findingId) {
    return pool.preparedQuery(
            "SELECT channel, ts FROM slack_finding_messages WHERE finding_id = $1"
                + " ORDER BY posted_at, channel")
        .execute(Tuple.of(findingId))
        .map(
            rows -> {
              List<SlackMessages.Posted> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(new SlackMessages.Posted(r.getString("channel"), r.getString("ts")));
              }
              return out;
            });
  }

  /** A second post of one finding to one conversation keeps the first one's row. */
  @Override
  public Future<Void> posted(String findingId, SlackMessages.Posted posted, Instant at) {
    return pool.preparedQuery(
            "INSERT INTO slack_finding_messages (finding_id, channel, ts, posted_at)"
                + " VALUES ($1, $2, $3, $4) ON CONFLICT (finding_id, channel) DO NOTHING")
        .execute(Tuple.of(findingId, posted.channel(), posted.ts(), Timestamps.utc(at)))
        .mapEmpty();
  }
}
