package dev.stint.notify.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;

/**
 * The Slack message of one extension: the grant, its end now, the end asked for, the reason and the
 * approvals; Approve / Deny buttons ({@link #APPROVE} / {@link #DENY}, value the extension id)
 * while it is pending and its profile is not step-up, the outcome and no buttons after. Values
 * people supplied are escaped and cut as in {@link SlackMessage}.
 */
public final class SlackExtensionMessage {
  public static final String APPROVE = "stint.extension.approve";
  public static final String DENY = "stint.extension.deny";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SlackExtensionMessage() {}

  public static SlackMessage.Rendered render(SlackExtension x, URI link, boolean stepUp) {
    var r = x.request();
    ArrayNode blocks = JSON.createArrayNode();
    String who = SlackBlocks.value(x.asked().asker().display());
    blocks.add(
        SlackBlocks.section(
            SlackText.link(link, "Extension " + x.id())
                + " of "
                + SlackBlocks.value(r.profile())
                + " for "
                + who
                + " (request "
                + SlackBlocks.value(r.id())
                + ")"));
    String endsNow = x.grantEndsAt().map(Object::toString).orElse("unknown");
    ObjectNode facts = JSON.createObjectNode().put("type", "section");
    ArrayNode fields = facts.putArray("fields");
    fields.add(
        SlackBlocks.mrkdwn(
            "*Grant*\n" + SlackBlocks.value(r.grant().map(g -> g.id()).orElse("none"))));
    fields.add(SlackBlocks.mrkdwn("*Ends now*\n" + endsNow));
    fields.add(
        SlackBlocks.mrkdwn("*Asks for*\n+" + SlackMessage.minutes(x.asked().by().toMinutes())));
    if (x.pending()) {
      fields.add(
          SlackBlocks.mrkdwn(
              "*Would end*\n"
                  + x.grantEndsAt().map(e -> e.plus(x.asked().by()).toString()).orElse("unknown")));
    }
    fields.add(SlackBlocks.mrkdwn("*Reason*\n" + SlackBlocks.value(x.asked().reason())));
    fields.add(
        SlackBlocks.mrkdwn(
            "*Approvals*\n" + x.standing().approvals() + " of " + x.asked().approvalsRequired()));
    fields.add(SlackBlocks.mrkdwn("*State*\n" + outcome(x)));
    blocks.add(facts);
    if (x.pending()) {
      blocks.add(
          stepUp
              ? SlackBlocks.actions(
                  SlackBlocks.button("Open to approve", SlackMessage.OPEN, x.id(), null)
                      .put("url", link.toString()))
              : SlackBlocks.actions(
                  SlackBlocks.button("Approve", APPROVE, x.id(), "primary"),
                  SlackBlocks.button("Deny", DENY, x.id(), "danger")));
    }
    String text = who + " asks to extend " + SlackBlocks.value(r.profile()) + ": " + outcome(x);
    return new SlackMessage.Rendered(text, blocks.toString());
  }

  /** Where it stands, in words; an approved one names the grant's end now, which it moved. */
  static String outcome(SlackExtension x) {
    String by =
        x.standing().decidedBy().map(p -> " by " + SlackBlocks.value(p.display())).orElse("");
    return switch (x.standing().state()) {
      case "pending" -> ":hourglass: *Pending*";
      case "approved" ->
          ":white_check_mark: *Approved*"
              + by
              + x.grantEndsAt().map(e -> ", access now until " + e).orElse("");
      case "denied" -> ":x: *Denied*" + by;
      case "cancelled" -> ":heavy_multiplication_x: *Cancelled*" + by;
      case "expired" -> ":clock3: *Expired*: the grant ended first";
      default -> SlackBlocks.value(x.standing().state());
    };
  }
}
