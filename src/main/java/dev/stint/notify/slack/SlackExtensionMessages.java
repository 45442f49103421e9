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

/** Where each extension's Slack messages are (table {@code slack_extension_messages}). */
public final class SlackExtensionMessages implements SlackPosts {
  private final Pool pool;

  public SlackExtensionMessages(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<List<SlackPosts.Posted>> all(String extensionId) {
    return pool.preparedQuery(
            "SELECT channel, ts FROM slack_extension_messages WHERE extension_id = $1"
                + " ORDER BY posted_at, channel")
        .execute(Tuple.of(extensionId))
        .map(
            rows -> {
              List<SlackPosts.Posted> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(new SlackPosts.Posted(r.getString("channel"), r.getString("ts")));
              }
              return out;
            });
  }

  /** A second post of one extension to one conversation keeps the first one's row. */
  @Override
  public Future<Void> posted(String extensionId, SlackPosts.Posted posted, Instant at) {
    return pool.preparedQuery(
            "INSERT INTO slack_extension_messages (extension_id, channel, ts, posted_at)"
                + " VALUES ($1, $2, $3, $4) ON CONFLICT (extension_id, channel) DO NOTHING")
        .execute(
            Tuple.of(
                extensionId,
                posted.channel(),
                posted.ts(),
                OffsetDateTime.ofInstant(at, ZoneOffset.UTC)))
        .mapEmpty();
  }
}
