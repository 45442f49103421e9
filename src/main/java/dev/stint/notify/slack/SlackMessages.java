package dev.stint.notify.slack;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each request's Slack messages are (table {@code slack_messages}): the channel's and each
 * approver's direct message, to update them in place.
 */
public final class SlackMessages implements SlackPosts {
  private final Pool pool;

  public SlackMessages(Pool pool) {
    this.pool = pool;
  }

  /** Every conversation the request's message was posted in: the channel, approvers' DMs. */
  @Override
  public Future<List<SlackPosts.Posted>> all(String requestId) {
    return pool.preparedQuery(
            "SELECT channel, ts FROM slack_messages WHERE request_id = $1"
                + " ORDER BY posted_at, channel")
        .execute(Tuple.of(requestId))
        .map(
            rows -> {
              List<SlackPosts.Posted> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(new SlackPosts.Posted(r.getString("channel"), r.getString("ts")));
              }
              return out;
            });
  }

  /**
   * Records a post Slack accepted; a second post of one request to one conversation keeps the first
   * one's row.
   */
  @Override
  public Future<Void> posted(String requestId, SlackPosts.Posted posted, Instant at) {
    return pool.preparedQuery(
            "INSERT INTO slack_messages (request_id, channel, ts, posted_at)"
                + " VALUES ($1, $2, $3, $4) ON CONFLICT (request_id, channel) DO NOTHING")
        .execute(
            Tuple.of(
                requestId,
                posted.channel(),
                posted.ts(),
                OffsetDateTime.ofInstant(at, ZoneOffset.UTC)))
        .mapEmpty();
  }
}
