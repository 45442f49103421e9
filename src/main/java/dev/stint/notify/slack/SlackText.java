package dev.stint.notify.slack;

import dev.stint.notify.Notification;
import java.net.URI;

/**
 * A notification as Slack mrkdwn. Slack reads {@code <...>} as a link, a mention ({@code
 * <!channel>}, {@code <@U123>}) or a date, so a reason of {@code <https://evil|Approve>} would
 * render a fake button and {@code <!channel>} would ping everyone: every supplied value has {@code
 * &}, {@code <} and {@code >} escaped as Slack's formatting rules ask, and only the link stint
 * builds itself stays markup.
 *
 * <p>Slack offers no escape for {@code *}, {@code _} and {@code ~}; they can only restyle words,
 * never ping or link, so they stay. A backtick can: a value holding {@code ```} opens a code block
 * that runs over the rest of the line, and stint's own link inside it no longer renders as a link,
 * so a backtick becomes the look-alike {@code ˋ}. The message is one line: a line break in a value
 * would let it start a line of its own (a {@code >} quote, a fake second message), so breaks and
 * other control characters become spaces.
 */
public final class SlackText {
  private SlackText() {}

  public static String of(Notification n) {
    return n.summary(SlackText::escape) + " " + link(n.link(), n.request().id());
  }

  /**
   * A link stint builds to its own page. A {@link URI} cannot hold {@code <}, {@code >} or {@code
   * |} unencoded, so the target cannot end the link early; the label is escaped, and a {@code |} in
   * it (which Slack would read as a second separator) becomes {@code ¦}.
   */
  public static String link(URI target, String label) {
    return "<" + target + "|" + escape(label).replace('|', '¦') + ">";
  }

  /**
   * Slack's three control characters, {@code &} first so no escape is escaped again; backticks as
   * {@code ˋ}; a line break ({@code \r\n} counts as one) or any other control character as a space.
   */
  public static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '`' -> out.append('ˋ');
        case '\r' -> {
          out.append(' ');
          if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
            i++;
          }
        }
        default -> out.append(breaksLine(c) ? ' ' : c);
      }
    }
    return out.toString();
  }

  private static boolean breaksLine(char c) {
    return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
  }
}
