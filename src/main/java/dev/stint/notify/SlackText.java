package dev.stint.notify;

/**
 * A notification as Slack mrkdwn. Slack reads {@code <...>} as a link, a mention
 * ({@code <!channel>}, {@code <@U123>}) or a date, so a reason of
 * {@code <https://evil|Approve>} would render a fake button and {@code <!channel>} would ping
 * everyone: every supplied value has {@code &}, {@code <} and {@code >} escaped as Slack's
 * formatting rules ask, and only the link stint builds itself stays markup.
 */
final class SlackText {
  private SlackText() {}

  static String of(Notification n) {
    return n.summary(SlackText::escape) + " <" + n.link() + "|" + n.request().id() + ">";
  }

  /** Slack's three control characters; {@code &} first, so no escape is escaped again. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
