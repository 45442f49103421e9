package dev.stint.notify.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.access.Action;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One button click as Slack reports it: a {@code block_actions} JSON object, in the form field
 * {@code payload} of a signed HTTP call or in a Socket Mode envelope. A signed call is read from
 * the same raw bytes the signature covered (never from a form parser's copy), and either only in
 * the shapes Slack sends: ids of Slack's alphabet, one action. Anything else is unreadable, and so
 * refused.
 */
record SlackClick(
    String team, String user, String actionId, String value, Optional<String> channel) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SLACK_ID = Pattern.compile("[A-Z0-9]{2,40}");
  private static final Pattern ACTION_ID = Pattern.compile("[a-z][a-z0-9._]{0,63}");
  private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** The action the button asks for: approve, deny or revoke; empty for any other button. */
  Optional<Action> action() {
    return switch (actionId) {
      case SlackMessage.APPROVE, SlackExtensionMessage.APPROVE, SlackLeaseMessage.APPROVE ->
          Optional.of(Action.APPROVE);
      case SlackMessage.DENY, SlackExtensionMessage.DENY, SlackLeaseMessage.DENY ->
          Optional.of(Action.DENY);
      case SlackFindingMessage.REVOKE -> Optional.of(Action.REVOKE);
      default -> Optional.empty();
    };
  }

  /** Whether the button is a finding message's Revoke: {@link #value} is then the finding's id. */
  boolean finding() {
    return SlackFindingMessage.REVOKE.equals(actionId);
  }

  /** Whether the button is on an extension's message: {@link #value} is then its id. */
  boolean extension() {
    return SlackExtensionMessage.APPROVE.equals(actionId)
        || SlackExtensionMessage.DENY.equals(actionId);
  }

  /** Whether the button is on an agent's ask's message: {@link #value} is then the lease's id. */
  boolean lease() {
    return SlackLeaseMessage.APPROVE.equals(actionId) || SlackLeaseMessage.DENY.equals(actionId);
  }

  /** A click from a signed HTTP call: the form field {@code payload} of its body. */
  static Optional<SlackClick> parse(byte[] body) {
    return field(new String(body, StandardCharsets.UTF_8), "payload")
        .flatMap(SlackClick::fromPayload);
  }

  /** A click from its {@code block_actions} JSON, as a Socket Mode envelope carries it. */
  static Optional<SlackClick> fromPayload(String payload) {
    JsonNode p;
    try {
      p = JSON.readTree(payload);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (p == null
        || !"block_actions".equals(p.path("type").asText())
        || p.path("actions").size() != 1) {
      return Optional.empty();
    }
    JsonNode action = p.path("actions").get(0);
    String team = p.path("user").path("team_id").asText(p.path("team").path("id").asText(""));
    String user = p.path("user").path("id").asText("");
    String actionId = action.path("action_id").asText("");
    String value = action.path("value").asText("");
    String channel = p.path("channel").path("id").asText("");
    if (!SLACK_ID.matcher(team).matches()
        || !SLACK_ID.matcher(user).matches()
        || !ACTION_ID.matcher(actionId).matches()
        || !VALUE.matcher(value).matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new SlackClick(
            team,
            user,
            actionId,
            value,
            SLACK_ID.matcher(channel).matches() ? Optional.of(channel) : Optional.empty()));
  }

  /** One field of a form body; a field given twice is ambiguous and refused. */
  static Optional<String> field(String form, String name) {
    Optional<String> found = Optional.empty();
    for (String pair : form.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      try {
        if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
          if (found.isPresent()) {
            return Optional.empty();
          }
          found =
              Optional.of(
                  URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    return found;
  }
}
