package dev.stint.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.access.AccessRequest;
import dev.stint.access.Bundles;
import dev.stint.access.Vote;
import java.net.URI;
import java.util.Optional;

/**
 * A request as the message a Teams workflow webhook takes: one Adaptive Card attachment with the
 * facts Slack's message shows (profile, requester, duration, reason, ticket, approvals, state, and
 * what a narrowed request is narrowed to) and one button that opens the request's web page. There
 * is no decision in the card: a webhook cannot tell stint who clicked, so approvers decide on the
 * page, signed in.
 *
 * <p>Every fact is a TextBlock of its own, label and value on one line; each supplied value passes
 * through {@link TeamsText#value} so it cannot become a link or restyle the card. A narrowed
 * request's values and policy are the exception, shown exactly in runs Teams never reads as
 * Markdown ({@link TeamsNarrowed}).
 */
public final class TeamsCard {
  public static final String CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";

  /** The newest card schema every Teams client (desktop, web, mobile) renders. */
  static final String VERSION = "1.4";

  private static final ObjectMapper JSON = new ObjectMapper();

  private TeamsCard() {}

  /** The message for {@code r} as it stands; {@code link} is its web page. */
  public static String render(AccessRequest r, URI link) {
    return render(r, link, Optional.empty());
  }

  /** As above, for the request standing for its bundle: the card names every profile. */
  public static String render(AccessRequest r, URI link, Optional<Bundles.Ref> bundle) {
    String what = bundle.map(b -> String.join(" + ", b.profiles())).orElse(r.profile());
    ObjectNode card = JSON.createObjectNode().put("type", "AdaptiveCard").put("version", VERSION);
    card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
    ArrayNode body = card.putArray("body");
    // The id is stint's own (one underscore, never paired into emphasis), shown as people copy it.
    body.add(
        text("Access request " + r.id() + ": " + TeamsText.value(what))
            .put("weight", "Bolder")
            .put("size", "Medium"));
    body.add(
        fact(
            bundle.isPresent() ? "Profiles (one decision for all)" : "Profile",
            TeamsText.value(what)));
    body.add(fact("Requester", TeamsText.value(r.requester().display())));
    body.add(fact("Duration", minutes(r.duration().toMinutes())));
    body.add(fact("Reason", TeamsText.value(r.reason())));
    body.add(fact("Ticket", r.ticket().map(TeamsText::value).orElse("none")));
    body.add(fact("Approvals", r.approvalCount() + " of " + r.approvalsRequired()));
    body.add(fact("State", state(r)));
    TeamsNarrowed.elements(r.narrowed()).forEach(body::add);
    return wrapped(card, link);
  }

  /**
   * The card of an extension's change (informational, like the request's: decisions are made on the
   * web page): its request, the grant's end as it is, what was asked as the extension service
   * recorded it ({@code "ext_…: +30m (reason)"}, escaped), and what happened.
   */
  public static String extension(String event, AccessRequest r, String asked, URI link) {
    ObjectNode card = JSON.createObjectNode().put("type", "AdaptiveCard").put("version", VERSION);
    card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
    ArrayNode body = card.putArray("body");
    body.add(
        text("Extension of access request " + r.id() + ": " + TeamsText.value(r.profile()))
            .put("weight", "Bolder")
            .put("size", "Medium"));
    body.add(fact("Holder", TeamsText.value(r.requester().display())));
    body.add(fact("Asked", TeamsText.value(asked)));
    String end = r.grant().map(g -> g.endsAt().toString()).orElse("unknown");
    body.add(fact("Access ends", end));
    body.add(
        fact(
            "State",
            switch (event) {
              case "grant.extension_requested" -> "asked (decide on the web page)";
              case "grant.extended" -> "Approved, access now until " + end;
              case "grant.extension_denied" -> "Denied";
              case "grant.extension_cancelled" -> "Cancelled";
              default -> TeamsText.value(event);
            }));
    return wrapped(card, link);
  }

  /**
   * The card of a grant whose IAM Identity Center assignment failed ({@code assignment.failed}):
   * whose access, why (the change's comment, escaped), and what to do; nothing was assigned, so the
   * grant cannot be used.
   */
  public static String assignmentFailed(AccessRequest r, String why, URI link) {
    ObjectNode card = JSON.createObjectNode().put("type", "AdaptiveCard").put("version", VERSION);
    card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
    ArrayNode body = card.putArray("body");
    body.add(
        text("Access request " + r.id() + ": " + TeamsText.value(r.profile()) + " cannot be used")
            .put("weight", "Bolder")
            .put("size", "Medium")
            .put("color", "Attention"));
    body.add(fact("Requester", TeamsText.value(r.requester().display())));
    body.add(fact("IAM Identity Center assignment failed", TeamsText.value(why)));
    body.add(
        fact(
            "What to do",
            "The IAM Identity Center directory admins must add or fix the user; then file a new"
                + " request."));
    return wrapped(card, link);
  }

  /**
   * The card of a live finding: the severity and rule, whose access, which request and lease, the
   * rule's sentence, what stint does about it, the reason the access was asked for; a button to the
   * lease's or request's page, where it can be revoked (a webhook cannot tell stint who clicked).
   */
  public static String finding(FindingNotice n) {
    ObjectNode card = JSON.createObjectNode().put("type", "AdaptiveCard").put("version", VERSION);
    card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
    ArrayNode body = card.putArray("body");
    var f = n.finding();
    body.add(
        text(n.severity() + " finding " + f.id() + ": " + f.rule().id())
            .put("weight", "Bolder")
            .put("size", "Medium")
            .put("color", f.severity().code().equals("high") ? "Attention" : "Warning"));
    body.add(fact("Holder", TeamsText.value(n.holder())));
    body.add(fact("Profile", TeamsText.value(f.origin().profile())));
    body.add(fact("Access", n.access()));
    n.request().ifPresent(r -> body.add(fact("Reason", TeamsText.value(r.reason()))));
    body.add(fact("What happened", TeamsText.value(f.why())));
    body.add(fact("Done", n.done()));
    body.add(fact("Raised", f.raisedAt().toString()));
    return wrapped(card, n.link());
  }

  private static String wrapped(ObjectNode card, URI link) {
    ObjectNode open =
        card.putArray("actions")
            .addObject()
            .put("type", "Action.OpenUrl")
            .put("title", "Open in stint");
    open.put("url", link.toString());
    ObjectNode message = JSON.createObjectNode().put("type", "message");
    ObjectNode attachment =
        message.putArray("attachments").addObject().put("contentType", CONTENT_TYPE);
    attachment.set("content", card);
    return message.toString();
  }

  /** The outcome in a few words, with who made it when the request records that. */
  static String state(AccessRequest r) {
    long missing = r.approvalsRequired() - r.approvalCount();
    return switch (r.state()) {
      case PENDING ->
          "waiting for "
              + missing
              + " more approval"
              + (missing == 1 ? "" : "s")
              + " (decide on the web page)";
      case APPROVED -> "Approved" + r.grant().map(g -> ", access until " + g.endsAt()).orElse("");
      case DENIED ->
          "Denied"
              + r.votes().stream()
                  .filter(v -> v.decision() == Vote.Decision.DENY)
                  .findFirst()
                  .map(v -> " by " + TeamsText.value(v.approver().display()))
                  .orElse("");
      case CANCELLED -> "Cancelled";
      case TIMED_OUT -> "Timed out (nobody decided in time)";
      case REVOKED ->
          "Revoked"
              + r.grant()
                  .flatMap(g -> g.revocation())
                  .map(v -> " by " + TeamsText.value(v.by().display()))
                  .orElse("");
      case EXPIRED -> "Expired (the grant has ended)";
    };
  }

  private static ObjectNode fact(String label, String value) {
    return text(label + ": " + value);
  }

  private static ObjectNode text(String text) {
    return JSON.createObjectNode().put("type", "TextBlock").put("text", text).put("wrap", true);
  }

  private static String minutes(long total) {
    if (total % 60 == 0) {
      return (total / 60) + "h";
    }
    return total > 60 ? (total / 60) + "h" + (total % 60) + "m" : total + "m";
  }
}
