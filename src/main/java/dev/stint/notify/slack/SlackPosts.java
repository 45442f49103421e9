package dev.stint.notify.slack;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/**
 * Where the Slack messages of one subject (a request, an extension, a finding, an ask) were posted,
 * to update them in place: the one port the listeners need of their tables, so tests can keep them
 * in memory.
 */
public interface SlackPosts {
  /** A posted message: its channel and Slack's timestamp id. */
  record Posted(String channel, String ts) {}

  /** Every conversation the subject's message was posted in, oldest first. */
  Future<List<Posted>> all(String id);

  /** Records a post Slack accepted; a second post to one conversation keeps the first row. */
  Future<Void> posted(String id, Posted posted, Instant at);
}
