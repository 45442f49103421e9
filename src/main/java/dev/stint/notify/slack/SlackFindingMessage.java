package dev.stint.notify.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.finding.Finding;
import dev.stint.identity.Person;
import dev.stint.notify.FindingNotice;
import java.time.Instant;
import java.util.Optional;

/**
 * A live finding as one Slack message: the severity, rule, holder and profile, linked to the
 * lease's or request's page; the rule's sentence; the reason the access was asked for; what stint
 * does about it; and a Revoke button ({@link #REVOKE}, value the finding's id) for what the
 * finding's key belongs to ({@link Target}), until someone revokes it from the message, which then
 * says who did. Every value people or the cloud's log supplied is escaped and cut, as in {@link
 * SlackMessage}.
 */
public final class SlackFindingMessage {
  public static final String REVOKE = "stint.revoke_finding";

  /** Below Slack's limit for one text: a burst's sentence lists its calls. */
  static final int MAX_WHY = 2500;

  private static final ObjectMapper JSON = new ObjectMapper();

  private SlackFindingMessage() {}

  /**
   * What the Revoke button ends, decided by the finding as it was recorded: the lease whose key
   * made the call, while stint does not end it itself; else the grant (the grant's own key, or a
   * lease stint ends, whose grant may still be revoked too); nothing once stint revokes the grant
   * itself.
   */
  public enum Target {
    LEASE("Revoke lease"),
    GRANT("Revoke access"),
    NONE("");

    private final String label;

    Target(String label) {
      this.label = label;
    }

    public static Target of(Finding f) {
      return switch (f.action()) {
        case GRANT_REVOKED, NONE -> NONE;
        case LEASE_ENDED -> GRANT;
        case NOTIFIED -> f.origin().leaseId().isPresent() ? LEASE : GRANT;
      };
    }

    String label(Finding f) {
      return this == GRANT && f.action() == Finding.Action.LEASE_ENDED
          ? "Revoke the grant too"
          : label;
    }
  }

  /** A revoke from the message: who, when, and what it ended. */
  record Revoked(Person by, Instant at, Target what) {}

  public static SlackMessage.Rendered render(FindingNotice n) {
    return render(n, Optional.empty());
  }

  static SlackMessage.Rendered render(FindingNotice n, Optional<Revoked> revoked) {
    Finding f = n.finding();
    ArrayNode blocks = JSON.createArrayNode();
    String headline =
        (f.severity().code().equals("high") ? ":rotating_light: " : ":warning: ")
            + "*"
            + n.severity()
            + " finding* `"
            + f.rule().id()
            + "` on "
            + SlackBlocks.value(n.holder())
            + "'s access to *"
            + SlackBlocks.value(f.origin().profile())
            + "*: "
            + SlackText.link(
                n.link(),
                f.origin()
                    .leaseId()
                    .map(l -> "lease " + l)
                    .orElse("request " + f.origin().requestId()));
    blocks.add(SlackBlocks.section(headline));
    String why = f.why().length() > MAX_WHY ? f.why().substring(0, MAX_WHY) + "…" : f.why();
    blocks.add(SlackBlocks.section(SlackText.escape(why)));
    ObjectNode facts = JSON.createObjectNode().put("type", "section");
    ArrayNode fields = facts.putArray("fields");
    fields.add(SlackBlocks.mrkdwn("*Finding*\n" + f.id()));
    fields.add(SlackBlocks.mrkdwn("*Access*\n" + n.access()));
    n.request()
        .ifPresent(
            r -> fields.add(SlackBlocks.mrkdwn("*Reason*\n" + SlackBlocks.value(r.reason()))));
    fields.add(SlackBlocks.mrkdwn("*Done*\n" + n.done()));
    fields.add(SlackBlocks.mrkdwn("*Raised*\n" + f.raisedAt()));
    blocks.add(facts);
    Target target = Target.of(f);
    if (revoked.isPresent()) {
      blocks.add(
          SlackBlocks.section(
              ":no_entry: "
                  + (revoked.get().what() == Target.LEASE ? "Lease" : "Access")
                  + " revoked by "
                  + SlackBlocks.value(revoked.get().by().display())
                  + " at "
                  + revoked.get().at()));
    } else if (target != Target.NONE) {
      blocks.add(
          SlackBlocks.actions(
              SlackBlocks.button(target.label(f), REVOKE, f.id(), "danger"),
              // Slack reports a link button's click too, recorded by its value: the request.
              SlackBlocks.button("Open in stint", SlackMessage.OPEN, f.origin().requestId(), null)
                  .put("url", n.link().toString())));
    }
    String text =
        n.severity()
            + " finding "
            + f.rule().id()
            + " on "
            + SlackBlocks.value(n.holder())
            + "'s access to "
            + SlackBlocks.value(f.origin().profile());
    return new SlackMessage.Rendered(text, blocks.toString());
  }
}
