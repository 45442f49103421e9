package dev.stint.notify.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Block Kit pieces stint's Slack messages are made of: sections, mrkdwn texts (verbatim),
 * action rows and buttons, and a supplied value as it may go into any of them, escaped ({@link
 * SlackText#escape}) and cut to a length that keeps each text within Slack's limits.
 */
final class SlackBlocks {
  static final int MAX_VALUE = 300;

  private static final ObjectMapper JSON = new ObjectMapper();

  private SlackBlocks() {}

  /** A supplied value, escaped and cut short: the cut comes first so no escape is split. */
  static String value(String supplied) {
    String cut = supplied.length() > MAX_VALUE ? supplied.substring(0, MAX_VALUE) + "…" : supplied;
    return SlackText.escape(cut);
  }

  static ObjectNode section(String text) {
    ObjectNode s = JSON.createObjectNode().put("type", "section");
    s.set("text", mrkdwn(text));
    return s;
  }

  static ObjectNode mrkdwn(String text) {
    // verbatim: Slack would otherwise turn bare URLs and channel names in callers' text into
    // links; stint's own links are written as <url|label> and stay links.
    return JSON.createObjectNode().put("type", "mrkdwn").put("text", text).put("verbatim", true);
  }

  static ObjectNode actions(ObjectNode... buttons) {
    ObjectNode a = JSON.createObjectNode().put("type", "actions");
    ArrayNode elements = a.putArray("elements");
    for (ObjectNode b : buttons) {
      elements.add(b);
    }
    return a;
  }

  static ObjectNode button(String label, String actionId, String requestId, String style) {
    ObjectNode b =
        JSON.createObjectNode()
            .put("type", "button")
            .put("action_id", actionId)
            .put("value", requestId);
    b.putObject("text").put("type", "plain_text").put("text", label);
    if (style != null) {
      b.put("style", style);
    }
    return b;
  }
}
