package dev.stint.notify.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.access.AccessRequest;
import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.AccessRequest.StageProgress;
import dev.stint.access.BundleStore;
import dev.stint.access.Vote;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A request as one Slack Block Kit message, rendered from its current state alone, so rendering it
 * again after any decision gives the message that decision should leave (updates are idempotent).
 * Pending: the facts, what a narrowed request is narrowed to ({@link SlackNarrowed}), the votes so
 * far and Approve / Deny buttons. Any other state: the same facts and votes, the outcome, no
 * buttons.
 *
 * <p>Every value a person or identity provider supplied passes through {@link SlackText#escape}
 * ({@code &}, {@code <}, {@code >}: no mention, no link, no fake button) and is cut to a length
 * that keeps each text within Slack's limits whatever was typed.
 */
public final class SlackMessage {
  public static final String APPROVE = "stint.approve";
  public static final String DENY = "stint.deny";

  /** The step-up button opens the web page; Slack still reports the click, which stint ignores. */
  public static final String OPEN = "stint.open";

  static final int MAX_VOTES_SHOWN = 20;

  /** Below Slack's limit for one text, with room for the "and N more" line. */
  static final int MAX_VOTES_TEXT = 2900;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The blocks and the notification text (shown where blocks are not, such as alerts). */
  public record Rendered(String text, String blocksJson) {}

  private SlackMessage() {}

  /**
   * The message for {@code r}; {@code link} is its web page. With {@code stepUp} the pending
   * message's only button opens that page, where the approver signs in afresh.
   */
  public static Rendered render(AccessRequest r, URI link, boolean stepUp) {
    return render(r, link, stepUp, Optional.empty());
  }

  /**
   * As above; a pending request that has escalated says so, with the rule ({@code escalatedTo}, the
   * policy's text, escaped like any supplied value) that may now decide it too.
   */
  public static Rendered render(
      AccessRequest r, URI link, boolean stepUp, Optional<String> escalatedTo) {
    return render(r, link, stepUp, escalatedTo, Optional.empty());
  }

  /**
   * As above, for a request standing for its bundle ({@code bundle}): the message names every
   * profile, and a decision on it is one for the whole bundle.
   */
  public static Rendered render(
      AccessRequest r,
      URI link,
      boolean stepUp,
      Optional<String> escalatedTo,
      Optional<BundleStore.Ref> bundle) {
    ArrayNode blocks = JSON.createArrayNode();
    String what = bundle.map(b -> String.join(" + ", b.profiles())).orElse(r.profile());
    blocks.add(
        SlackBlocks.section(
            SlackText.link(link, "Access request " + r.id())
                + ": *"
                + SlackBlocks.value(what)
                + "* for "
                + SlackBlocks.value(r.requester().display())
                + bundle
                    .map(
                        b ->
                            " (bundle "
                                + SlackBlocks.value(b.name().orElse(b.id()))
                                + ": one decision for every profile)")
                    .orElse("")));
    ObjectNode facts = JSON.createObjectNode().put("type", "section");
    ArrayNode fields = facts.putArray("fields");
    fields.add(SlackBlocks.mrkdwn("*Requester*\n" + SlackBlocks.value(r.requester().display())));
    fields.add(SlackBlocks.mrkdwn("*Duration*\n" + minutes(r.duration().toMinutes())));
    fields.add(SlackBlocks.mrkdwn("*Reason*\n" + SlackBlocks.value(r.reason())));
    fields.add(
        SlackBlocks.mrkdwn("*Ticket*\n" + r.ticket().map(SlackBlocks::value).orElse("none")));
    fields.add(
        SlackBlocks.mrkdwn("*Approvals*\n" + r.approvalCount() + " of " + r.approvalsRequired()));
    fields.add(SlackBlocks.mrkdwn("*State*\n" + state(r)));
    stages(r).ifPresent(st -> fields.add(SlackBlocks.mrkdwn("*Stages*\n" + st)));
    blocks.add(facts);
    SlackNarrowed.sections(r.narrowed(), link).forEach(blocks::add);
    votes(r.votes()).ifPresent(blocks::add);
    boolean escalated = r.state() == RequestState.PENDING && escalatedTo.isPresent();
    if (escalated) {
      blocks.add(
          SlackBlocks.section(
              ":arrow_double_up: *Escalated*: nobody decided in time, so people"
                  + " matching "
                  + SlackBlocks.value(escalatedTo.get())
                  + " may now approve or deny it too"));
    }
    if (r.state() == RequestState.PENDING) {
      blocks.add(
          stepUp
              ? SlackBlocks.actions(
                  SlackBlocks.button("Open to approve", OPEN, r.id(), null)
                      .put("url", link.toString()))
              : SlackBlocks.actions(
                  SlackBlocks.button("Approve", APPROVE, r.id(), "primary"),
                  SlackBlocks.button("Deny", DENY, r.id(), "danger")));
    }
    String text =
        SlackBlocks.value(r.requester().display())
            + " requests "
            + SlackBlocks.value(what)
            + ": "
            + state(r)
            + (escalated ? " (escalated)" : "");
    return new Rendered(text, blocks.toString());
  }

  /**
   * How many approvals a request still needs, in words: {@code 1 more approval}, and in which stage
   * when its approval has stages ({@code 1 more approval, now in stage security}).
   */
  public static String stillNeeded(AccessRequest r) {
    long missing = r.approvalsRequired() - r.approvalCount();
    return missing
        + " more approval"
        + (missing == 1 ? "" : "s")
        + StageProgress.open(r)
            .filter(st -> r.staged())
            .map(st -> ", now in stage " + st.name())
            .orElse("");
  }

  /**
   * An approval in stages, in order: each stage's approvals of its count, the open one in bold,
   * skipped ones struck through. Stage names are the policy's own letters, digits, '-' and '_'.
   */
  static Optional<String> stages(AccessRequest r) {
    if (!r.staged()) {
      return Optional.empty();
    }
    List<String> shown = new ArrayList<>();
    for (StageProgress st : StageProgress.of(r)) {
      String one = st.name() + " " + st.votes() + "/" + st.count();
      shown.add(
          switch (st.state()) {
            case OPEN -> "*" + one + "*";
            case SKIPPED -> "~" + st.name() + "~";
            case APPROVED -> one + " :white_check_mark:";
            case WAITING -> one;
          });
    }
    return Optional.of(String.join(" → ", shown));
  }

  /**
   * The reminder replied in a pending request's thread: how many approvals it still needs. Only
   * counts and stint's link; nothing supplied by people, so nothing to escape.
   */
  public static String reminder(AccessRequest r, URI link) {
    return ":alarm_clock: Reminder: this request still needs "
        + stillNeeded(r)
        + ". "
        + SlackText.link(link, "Open it in stint");
  }

  /** The outcome in a few words, with who made it when the request records that. */
  static String state(AccessRequest r) {
    return switch (r.state()) {
      case PENDING -> "waiting for " + stillNeeded(r);
      case APPROVED ->
          ":white_check_mark: *Approved*"
              + r.grant().map(g -> ", access until " + g.endsAt()).orElse("");
      case DENIED -> ":x: *Denied*" + by(r, Vote.Decision.DENY);
      case CANCELLED -> "*Cancelled* by the requester";
      case TIMED_OUT -> "*Timed out* (nobody decided in time)";
      case REVOKED ->
          ":no_entry: *Revoked*"
              + r.grant()
                  .flatMap(g -> g.revocation())
                  .map(v -> " by " + SlackBlocks.value(v.by().display()))
                  .orElse("");
      case EXPIRED -> "*Expired* (the grant has ended)";
    };
  }

  private static String by(AccessRequest r, Vote.Decision decision) {
    return r.votes().stream()
        .filter(v -> v.decision() == decision)
        .findFirst()
        .map(v -> " by " + SlackBlocks.value(v.approver().display()))
        .orElse("");
  }

  private static Optional<ObjectNode> votes(List<Vote> votes) {
    if (votes.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode context = JSON.createObjectNode().put("type", "context");
    ArrayNode elements = context.putArray("elements");
    // A context block holds only a few elements: the votes go into one text, a line each, as
    // many as fit in Slack's length for a text (escaping can make a value several times longer).
    StringBuilder lines = new StringBuilder();
    int shown = 0;
    for (Vote v : votes) {
      String line =
          (v.decision() == Vote.Decision.APPROVE
                  ? ":white_check_mark: approved by "
                  : ":x: denied by ")
              + SlackBlocks.value(v.approver().display())
              + v.comment().map(c -> ": \"" + SlackBlocks.value(c) + "\"").orElse("");
      if (shown == MAX_VOTES_SHOWN || lines.length() + line.length() > MAX_VOTES_TEXT) {
        break;
      }
      lines.append(shown++ == 0 ? "" : "\n").append(line);
    }
    if (votes.size() > shown) {
      lines.append("\nand ").append(votes.size() - shown).append(" more");
    }
    elements.add(SlackBlocks.mrkdwn(lines.toString()));
    return Optional.of(context);
  }

  static String minutes(long total) {
    if (total % 60 == 0) {
      return (total / 60) + "h";
    }
    return total > 60 ? (total / 60) + "h" + (total % 60) + "m" : total + "m";
  }
}
