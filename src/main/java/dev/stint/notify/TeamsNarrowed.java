package dev.stint.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.common.FilledDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a request on a narrowed profile is narrowed to, on its Teams card: each parameter's value
 * and the policy they fill with its SHA-256. Both are TextRuns in RichTextBlocks, which Teams never
 * reads as Markdown, so they are shown as they are (a TextBlock would need {@code *} turned into a
 * look-alike, and an approver would read a different policy). The policy is the compact one: one
 * run wraps on every client, where line breaks inside a run are not rendered alike. A policy longer
 * than {@link #MAX_POLICY} is left to the request's page, which the card's button opens.
 */
final class TeamsNarrowed {
  /** Far below what Teams takes for a whole message, with room for the card's other facts. */
  static final int MAX_POLICY = 8000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private TeamsNarrowed() {}

  /** The card elements to add: none for a request on a profile without parameters. */
  static List<ObjectNode> elements(Narrowed n) {
    if (!n.isNarrowed()) {
      return List.of();
    }
    List<ObjectNode> out = new ArrayList<>();
    for (Map.Entry<String, String> v : n.values().values().entrySet()) {
      out.add(rich(run(v.getKey() + ": "), code(cut(v.getValue()))));
    }
    n.policy().ifPresent(p -> out.add(policy(p)));
    return out;
  }

  private static ObjectNode policy(FilledDocument p) {
    ObjectNode head = run("Policy (SHA-256 " + p.sha256() + "): ");
    if (p.length() > MAX_POLICY) {
      return rich(
          head,
          run(
              "it is "
                  + p.length()
                  + " characters, too long for this card: read it on the request's page"
                  + " before you decide."));
    }
    return rich(head, code(p.json()));
  }

  /** A value as long as any a parameter takes is shown whole; longer (never filed) is cut. */
  private static String cut(String value) {
    return value.length() > TeamsText.MAX_VALUE
        ? value.substring(0, TeamsText.MAX_VALUE) + "…"
        : value;
  }

  private static ObjectNode rich(ObjectNode... runs) {
    ObjectNode block = JSON.createObjectNode().put("type", "RichTextBlock");
    ArrayNode inlines = block.putArray("inlines");
    for (ObjectNode r : runs) {
      inlines.add(r);
    }
    return block;
  }

  private static ObjectNode run(String text) {
    return JSON.createObjectNode().put("type", "TextRun").put("text", text);
  }

  private static ObjectNode code(String text) {
    return run(text).put("fontType", "Monospace");
  }
}
