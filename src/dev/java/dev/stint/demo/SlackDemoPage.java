package dev.stint.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.standin.QueryRequest;
import dev.stint.standin.SlackSocketServer;
import dev.stint.standin.StandInReply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo Slack's page: the approvals channel and one member's direct messages, drawn from the
 * messages' blocks (sections, fields, buttons), as that member sees them. A button press is sent to
 * stint as Slack sends it in Socket Mode: a {@code block_actions} payload in an envelope down the
 * WebSocket stint opened; stint then decides exactly as it would for Slack.
 */
final class SlackDemoPage {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Slack's mrkdwn links, {@code <url|text>}, after HTML escaping. */
  private static final Pattern LINK = Pattern.compile("&lt;(https?://[^|&]+)\\|([^&]*)&gt;");

  private static final Pattern BOLD = Pattern.compile("\\*([^*\\n]+)\\*");

  private final Supplier<List<SlackMessage>> messages;
  private final SlackSocketServer sockets;

  SlackDemoPage(Supplier<List<SlackMessage>> messages, SlackSocketServer sockets) {
    this.messages = messages;
    this.sockets = sockets;
  }

  /** The page, or a click sent on to stint (answered once stint has answered it). */
  CompletionStage<StandInReply> answer(QueryRequest call) {
    String as =
        Optional.ofNullable(call.param("as"))
            .filter(m -> DevUser.ofSlackMember(m).isPresent())
            .orElse(DevUser.ALL.get(1).slackMember());
    if ("/".equals(call.path()) && "GET".equals(call.method())) {
      return CompletableFuture.completedFuture(
          new StandInReply(200, "text/html; charset=utf-8", page(as)));
    }
    if ("/click".equals(call.path()) && "POST".equals(call.method())) {
      return click(as, call.param("channel"), call.param("action_id"), call.param("value"))
          .thenApply(
              delivery -> new StandInReply(200, "text/html; charset=utf-8", sent(as, delivery)));
    }
    return CompletableFuture.completedFuture(new StandInReply(404, "text/plain", "not found"));
  }

  /**
   * Back to the page at once when stint took the click; otherwise a word on why, as Slack shows a
   * clicker that an app did not answer.
   */
  private static String sent(String as, Optional<SlackSocketServer.Delivery> delivery) {
    String back = "<a href=\"/?as=" + as + "\">Back</a>";
    if (delivery.isEmpty()) {
      return "<!doctype html><p>stint is not connected to this Slack (Socket Mode) yet: try again"
          + " in a moment. "
          + back
          + "</p>";
    }
    if (!delivery.get().acknowledged()) {
      return "<!doctype html><p>stint did not acknowledge the click within 3 seconds. "
          + back
          + "</p>";
    }
    return "<!doctype html><meta http-equiv=\"refresh\" content=\"0;url=/?as="
        + as
        + "\"><p>Sent. "
        + back
        + "</p>";
  }

  /** The click as an envelope; done once stint acknowledged it, or Slack would have given up. */
  private CompletableFuture<Optional<SlackSocketServer.Delivery>> click(
      String member, String channel, String actionId, String value) {
    JsonObject p = new JsonObject().put("type", "block_actions");
    p.put("user", new JsonObject().put("id", member).put("team_id", SlackStandIn.TEAM));
    p.put("team", new JsonObject().put("id", SlackStandIn.TEAM));
    p.put("channel", new JsonObject().put("id", channel == null ? SlackStandIn.CHANNEL : channel));
    p.put(
        "actions",
        new JsonArray()
            .add(
                new JsonObject()
                    .put("type", "button")
                    .put("action_id", String.valueOf(actionId))
                    .put("value", String.valueOf(value))));
    return sockets.deliver(p);
  }

  private String page(String as) {
    StringBuilder html =
        new StringBuilder(
            "<!doctype html><html><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width\"><title>"
                + SlackStandIn.TITLE
                + "</title><style>body{font-family:sans-serif;margin:2em;max-width:52em}"
                + ".msg{border-left:4px solid #4a154b;padding:.5em 1em;margin:1em 0;background:#f8f8f8}"
                + ".reply{margin-left:2em;border-color:#999}.only{border-color:#e8912d}"
                + "pre{white-space:pre-wrap;font-family:inherit;margin:.3em 0}"
                + "button{margin-right:.5em}</style></head><body><h1>"
                + SlackStandIn.TITLE
                + "</h1>"
                + "<p>Viewing as ");
    for (DevUser u : DevUser.ALL) {
      String m = u.slackMember();
      html.append(
          m.equals(as)
              ? "<strong>" + u.login() + "</strong> "
              : "<a href=\"/?as=" + m + "\">" + u.login() + "</a> ");
    }
    html.append(
        "(a click counts once that person has signed in to stint's web pages, or has"
            + " linked this account at stint's /ui/slack/link)</p>");
    section(html, "#approvals", SlackStandIn.CHANNEL, as);
    section(html, "Direct messages", "D" + as, as);
    return html.append("</body></html>").toString();
  }

  private void section(StringBuilder html, String title, String channel, String as) {
    html.append("<h2>").append(HttpForms.escape(title)).append("</h2>");
    List<SlackMessage> shown =
        messages.get().stream()
            .filter(m -> m.channel().equals(channel))
            .filter(m -> m.onlyFor().map(as::equals).orElse(true))
            .toList();
    if (shown.isEmpty()) {
      html.append("<p>No messages yet.</p>");
    }
    for (SlackMessage m : shown) {
      html.append("<div class=\"msg")
          .append(m.thread().isPresent() ? " reply" : "")
          .append(m.onlyFor().isPresent() ? " only" : "")
          .append("\">");
      if (m.onlyFor().isPresent()) {
        html.append("<small>Only visible to you</small>");
      }
      if (m.blocks().isEmpty()) {
        html.append("<pre>").append(mrkdwn(m.text())).append("</pre>");
      }
      for (JsonNode b : m.blocks()) {
        block(html, b, m.channel(), as);
      }
      html.append("</div>");
    }
  }

  private static void block(StringBuilder html, JsonNode b, String channel, String as) {
    switch (b.path("type").asText()) {
      case "section", "context" -> {
        if (b.has("text")) {
          html.append("<pre>")
              .append(mrkdwn(b.path("text").path("text").asText()))
              .append("</pre>");
        }
        for (JsonNode f : b.has("fields") ? b.path("fields") : b.path("elements")) {
          html.append("<pre>").append(mrkdwn(f.path("text").asText())).append("</pre>");
        }
      }
      case "actions" -> {
        for (JsonNode e : b.path("elements")) {
          String label = HttpForms.escape(e.path("text").path("text").asText());
          if (e.has("url")) {
            html.append("<a href=\"")
                .append(HttpForms.escape(e.path("url").asText()))
                .append("\">")
                .append(label)
                .append("</a> ");
          } else {
            html.append("<form method=\"post\" action=\"/click\" style=\"display:inline\">")
                .append(hidden("as", as))
                .append(hidden("channel", channel))
                .append(hidden("action_id", e.path("action_id").asText()))
                .append(hidden("value", e.path("value").asText()))
                .append("<button>")
                .append(label)
                .append("</button></form>");
          }
        }
      }
      default -> {}
    }
  }

  private static String hidden(String name, String value) {
    return "<input type=\"hidden\" name=\""
        + name
        + "\" value=\""
        + HttpForms.escape(value)
        + "\">";
  }

  /**
   * Slack's mrkdwn, enough of it for stint's messages: links, bold and the emoji shortcodes stint
   * uses ({@link SlackEmoji}), all else as text.
   */
  static String mrkdwn(String text) {
    String escaped =
        HttpForms.escape(text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
    Matcher links = LINK.matcher(escaped);
    String linked =
        links.replaceAll(
            r -> Matcher.quoteReplacement("<a href=\"" + r.group(1) + "\">" + r.group(2) + "</a>"));
    return SlackEmoji.render(BOLD.matcher(linked).replaceAll("<strong>$1</strong>"));
  }
}
