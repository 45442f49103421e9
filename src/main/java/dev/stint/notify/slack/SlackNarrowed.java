package dev.stint.notify.slack;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.common.FilledDocument;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a request on a narrowed profile is narrowed to, in its Slack message: each parameter's
 * value, and the policy they fill in a code block with its SHA-256, so an approver sees in Slack
 * what their click approves. A section's text is at most {@link #MAX_TEXT} characters: the policy
 * is indented when that fits, compact when only that fits, and otherwise left to the request's
 * page, which the message says.
 *
 * <p>Values and policy are escaped as every supplied value is ({@link SlackText#escape}): nothing
 * in them can mention, link or close the code block (a backtick becomes a look-alike). The indented
 * policy is escaped a line at a time, so its own line breaks stay.
 */
final class SlackNarrowed {
  /** Slack's limit for a section's text. */
  static final int MAX_TEXT = 3000;

  private SlackNarrowed() {}

  /** The sections to add to the message: none for a request on a profile without parameters. */
  static List<ObjectNode> sections(Narrowed n, URI link) {
    return sections(n, link, "request page");
  }

  /** As above, for a message whose {@code link} is to its {@code page} (a lease's, say). */
  static List<ObjectNode> sections(Narrowed n, URI link, String page) {
    if (!n.isNarrowed()) {
      return List.of();
    }
    List<ObjectNode> out = new ArrayList<>();
    out.add(SlackBlocks.section(values(n, link, page)));
    n.policy().ifPresent(p -> out.add(SlackBlocks.section(policy(p, link, page))));
    return out;
  }

  /** A line per parameter, as many as fit; the rest named by count, to be read on the page. */
  static String values(Narrowed n, URI link) {
    return values(n, link, "request page");
  }

  private static String values(Narrowed n, URI link, String page) {
    StringBuilder text = new StringBuilder("*Narrowed to*");
    List<Map.Entry<String, String>> all = List.copyOf(n.values().values().entrySet());
    int shown = 0;
    for (Map.Entry<String, String> v : all) {
      String line =
          "\n" + SlackBlocks.value(v.getKey()) + ": `" + SlackBlocks.value(v.getValue()) + "`";
      if (text.length() + line.length() > MAX_TEXT - 200) {
        break;
      }
      text.append(line);
      shown++;
    }
    if (shown < all.size()) {
      text.append("\nand ")
          .append(all.size() - shown)
          .append(" more: ")
          .append(SlackText.link(link, "see them on the " + page));
    }
    return text.toString();
  }

  /** The policy indented if it fits, else compact if that fits, else where to read it. */
  static String policy(FilledDocument p, URI link) {
    return policy(p, link, "request page");
  }

  private static String policy(FilledDocument p, URI link, String page) {
    String head = "*Policy* (SHA-256 `" + p.sha256() + "`)";
    String pretty = head + "\n```\n" + escapeLines(p.pretty()) + "\n```";
    if (pretty.length() <= MAX_TEXT) {
      return pretty;
    }
    String compact = head + "\n```" + SlackText.escape(p.json()) + "```";
    if (compact.length() <= MAX_TEXT) {
      return compact;
    }
    return head
        + "\nThe policy is "
        + p.length()
        + " characters, too long for a Slack message: read it on "
        + SlackText.link(link, "the " + page)
        + " before you decide.";
  }

  private static String escapeLines(String text) {
    return String.join("\n", text.lines().map(SlackText::escape).toList());
  }
}
