package dev.stint.notify.slack;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * The Slack Web API methods stint calls, as futures: the one I/O boundary to Slack. A failed future
 * carries Slack's error code (such as {@code channel_not_found}), never the token.
 */
public interface SlackApi {
  /** {@code chat.postMessage}: answers the new message's {@code ts}. */
  Future<String> post(String channel, String text, String blocksJson);

  /** {@code chat.postMessage} with {@code thread_ts}: a reply in message {@code ts}'s thread. */
  Future<Void> reply(String channel, String ts, String text);

  /** {@code chat.update} of the message {@code ts} in {@code channel}, in place. */
  Future<Void> update(String channel, String ts, String text, String blocksJson);

  /** {@code chat.postEphemeral}: a message only {@code user} sees, in {@code channel}. */
  Future<Void> ephemeral(String channel, String user, String text);

  /** {@code conversations.open} then {@code chat.postMessage}: a direct message. */
  Future<Void> direct(String user, String text);

  /** {@code conversations.open}: the id of the direct-message conversation with {@code user}. */
  Future<String> open(String user);

  /**
   * A Slack member: their team, the profile email when the app may read it, and whether the member
   * is a full member of that team whose email Slack confirmed (not a guest, not a stranger from
   * another organisation through Slack Connect).
   */
  record Member(String teamId, Optional<String> email, boolean fullMemberConfirmedEmail) {}

  /** {@code users.info}: the member, empty when Slack knows no such (active, human) user. */
  Future<Optional<Member>> member(String user);
}
