package dev.stint.notify.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;

/**
 * The Slack message of an enrolled agent's ask: which agent asked and whose it is ("asked by agent
 * coder (bob's)"), the profile, holder and task, for how long and until when, whose vote decides
 * it, and what it is narrowed to (the parameters and the session policy in a code block, trimmed to
 * Slack's limits, {@link SlackNarrowed}); Approve / Deny buttons ({@link #APPROVE} / {@link #DENY},
 * value the lease id) while it waits and its profile is not step-up (then a button opening its
 * page), the outcome and no buttons after. Rendered from the lease as it is, so a repeated delivery
 * writes the same message. Everything the agent or a person supplied is escaped and cut as in
 * {@link SlackMessage}: an agent steered to ask for more cannot dress its ask up.
 */
public final class SlackLeaseMessage {
  public static final String APPROVE = "stint.lease.approve";
  public static final String DENY = "stint.lease.deny";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SlackLeaseMessage() {}

  public static SlackMessage.Rendered render(SlackLease l, URI link, boolean stepUp) {
    ArrayNode blocks = JSON.createArrayNode();
    String asked = SlackBlocks.value(l.asked().label());
    blocks.add(
        SlackBlocks.section(
            ":robot_face: "
                + SlackText.link(link, "Task lease " + l.id())
                + " of *"
                + SlackBlocks.value(l.profile())
                + "* for "
                + SlackBlocks.value(l.holder().display())
                + ", *"
                + asked
                + "*"));
    ObjectNode facts = JSON.createObjectNode().put("type", "section");
    ArrayNode fields = facts.putArray("fields");
    fields.add(SlackBlocks.mrkdwn("*Task*\n" + SlackBlocks.value(l.task())));
    fields.add(SlackBlocks.mrkdwn("*Request*\n" + SlackBlocks.value(l.requestId())));
    fields.add(
        SlackBlocks.mrkdwn(
            "*For*\n"
                + SlackMessage.minutes(Duration.between(l.createdAt(), l.expiresAt()).toMinutes())
                + ", until "
                + l.expiresAt()));
    fields.add(SlackBlocks.mrkdwn("*Decided by*\n" + decider(l)));
    fields.add(SlackBlocks.mrkdwn("*State*\n" + outcome(l)));
    blocks.add(facts);
    SlackNarrowed.sections(l.narrowed(), link, "lease page").forEach(blocks::add);
    if (l.narrowed().policy().isEmpty()) {
      blocks.add(
          SlackBlocks.section("*Policy*\nThe grant's own: no narrower policy was asked for."));
    }
    if (l.pending()) {
      blocks.add(
          stepUp
              ? SlackBlocks.actions(
                  SlackBlocks.button("Open to approve", SlackMessage.OPEN, l.id(), null)
                      .put("url", link.toString()))
              : SlackBlocks.actions(
                  SlackBlocks.button("Approve", APPROVE, l.id(), "primary"),
                  SlackBlocks.button("Deny", DENY, l.id(), "danger")));
    }
    String text =
        "Task lease of " + SlackBlocks.value(l.profile()) + " " + asked + ": " + outcome(l);
    return new SlackMessage.Rendered(text, blocks.toString());
  }

  /** Whose vote decides it: its holder's, or where the profile asks one, an approver's. */
  static String decider(SlackLease l) {
    return l.asked().approverRequired()
        ? "an approver of " + SlackBlocks.value(l.profile()) + " (its holder's vote does not count)"
        : SlackBlocks.value(l.holder().display()) + ", its holder, or an approver";
  }

  /** Where it stands, in words, with who decided it. */
  static String outcome(SlackLease l) {
    String by =
        l.standing().decidedBy().map(p -> " by " + SlackBlocks.value(p.display())).orElse("");
    return switch (l.standing().state()) {
      case "pending" -> ":hourglass: *Pending*";
      case "active" -> ":white_check_mark: *Approved*" + by;
      case "denied" -> ":x: *Denied*" + by;
      case "revoked" -> ":no_entry: *Revoked*" + by;
      case "ended" -> ":heavy_multiplication_x: *Ended*" + by;
      case "expired" -> ":clock3: *Expired*" + by;
      default -> SlackBlocks.value(l.standing().state());
    };
  }
}
