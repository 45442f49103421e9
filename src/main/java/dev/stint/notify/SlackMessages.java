package dev.stint.notify;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** Where each request's Slack message is (table {@code slack_messages}), to update it in place. */
public final class SlackMessages {
  private final Pool pool;

  public SlackMessages(Pool pool) {
    this.pool = pool;
  }

  /** A posted message: its channel and Slack's timestamp id. */
  public record Posted(String channel, String ts) {}

  public Future<Optional<Posted>> find(String requestId) {
    return pool.preparedQuery("SELECT channel, ts FROM slack_messages WHERE request_id = $1")
        .execute(Tuple.of(requestId))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.<Posted>empty();
          }
          Row r = rows.iterator().next();
          return Optional.of(new Posted(r.getString("channel"), r.getString("ts")));
        });
  }

  /** Records a post Slack accepted; a second post of one request keeps the first one's row. */
  public Future<Void> posted(String requestId, Posted posted, Instant at) {
    return pool.preparedQuery("INSERT INTO slack_messages (request_id, channel, ts, posted_at)"
            + " VALUES ($1, $2, $3, $4) ON CONFLICT (request_id) DO NOTHING")
        .execute(Tuple.of(requestId, posted.channel(), posted.ts(),
            OffsetDateTime.ofInstant(at, ZoneOffset.UTC)))
        .mapEmpty();
  }
}
