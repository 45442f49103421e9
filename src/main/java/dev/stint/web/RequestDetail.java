package dev.stint.web;

import dev.stint.access.AccessRequest;
import dev.stint.access.AccessRequest.StageProgress;
import dev.stint.access.BundleStore;
import dev.stint.access.Grant;
import dev.stint.access.Vote;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditRecord;
import dev.stint.policy.Stage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The body of a request page: facts, approvals, grant, what can be done, and the timeline. */
final class RequestDetail {
  private RequestDetail() {}

  static Html page(
      AccessRequest r,
      List<AuditRecord> events,
      Html buttons,
      Html approvers,
      Html extensions,
      Instant now) {
    return Html.of(
        """
        <dl class="facts">
        <dt>Profile</dt><dd>{}</dd>
        <dt>State</dt><dd>{}{}</dd>
        <dt>Requester</dt><dd>{}</dd>
        <dt>Duration</dt><dd>{}</dd>
        <dt>Reason</dt><dd class="reason">{}</dd>
        {}
        <dt>Approvals</dt><dd>{} of {}</dd>
        {}
        <dt>Created</dt><dd>{}</dd>
        {}
        </dl>
        {}
        {}
        {}
        <section aria-labelledby="act-h"><h2 id="act-h">Actions</h2>{}</section>
        {}
        <section aria-labelledby="tl-h"><h2 id="tl-h">Timeline</h2>{}</section>""",
        r.profile(),
        Show.state(r, now),
        Html.when(r.breakGlass(), () -> Html.of(" <span class=\"badge\">break-glass</span>")),
        Show.person(r.requester()),
        Show.duration(r.duration()),
        r.reason(),
        r.ticket().map(t -> Html.of("<dt>Ticket</dt><dd>{}</dd>", t)).orElse(Html.empty()),
        r.approvalCount(),
        r.approvalsRequired(),
        stages(r),
        Show.time(r.createdAt()),
        r.grant().map(RequestDetail::grant).orElse(Html.empty()),
        NarrowedSection.of(r.narrowed()),
        votes(r.votes()),
        approvers,
        buttons.toString().isEmpty()
            ? Html.of("<p class=\"muted\">Nothing you can do here now.</p>")
            : buttons,
        extensions,
        timeline(events));
  }

  private static Html grant(Grant g) {
    return Html.of(
        "<dt>Grant</dt><dd>{} · {} → {}{}{}</dd>",
        g.id(),
        Show.time(g.startsAt()),
        Show.time(g.endsAt()),
        g.revocation()
            .map(rv -> Html.of("<br>revoked by {} at {}", Show.person(rv.by()), Show.time(rv.at())))
            .orElse(Html.empty()),
        g.breakGlass()
            ? g.review()
                .map(
                    rv ->
                        Html.of(
                            "<br>reviewed by {} at {}", Show.person(rv.by()), Show.time(rv.at())))
                .orElse(Html.of("<br><strong>break-glass use not reviewed yet</strong>"))
            : Html.empty());
  }

  /** A bundled request: the requests made with it, and that a decision here is for all. */
  static Html bundle(BundleStore.Ref b, AccessRequest r) {
    return Html.of(
        "<section aria-labelledby=\"bdl-h\"><h2 id=\"bdl-h\">Bundle {}{}</h2>"
            + "<p>Requested together: {}. Approving, denying or cancelling here does so for all of"
            + " them; each grant is revoked on its own.</p></section>",
        b.id(),
        b.name().map(n -> Html.of(" ({})", n)).orElse(Html.empty()),
        Html.each(
            b.requestIds(),
            id ->
                id.equals(r.id())
                    ? Html.of("{} (this one) ", id)
                    : Html.of("<a href=\"/ui/requests/{}\">{}</a> ", id, id)));
  }

  /**
   * An approval in stages: each stage in order with its approvals and state, the open one marked.
   * Nothing for the one-stage form.
   */
  private static Html stages(AccessRequest r) {
    if (!r.staged()) {
      return Html.empty();
    }
    return Html.of(
        "<dt>Stages</dt><dd><ol class=\"stages\">{}</ol></dd>",
        Html.each(
            StageProgress.of(r),
            s ->
                Html.of(
                    s.state() == StageProgress.State.OPEN
                        ? "<li aria-current=\"step\"><strong>{}</strong>: {} of {}, {}</li>"
                        : "<li>{}: {} of {}, {}</li>",
                    s.name(),
                    s.votes(),
                    s.count(),
                    s.state().code())));
  }

  private static Html votes(List<Vote> votes) {
    if (votes.isEmpty()) {
      return Html.empty();
    }
    return Html.of(
        "<section aria-labelledby=\"votes-h\"><h2 id=\"votes-h\">Decisions</h2><ul>{}</ul></section>",
        Html.each(
            votes,
            v ->
                Html.of(
                    "<li><strong>{}</strong>{} by {} at {}{}</li>",
                    v.decision().code(),
                    v.stage()
                        .filter(st -> !st.equals(Stage.SINGLE))
                        .map(st -> Html.of(" in stage {}", st))
                        .orElse(Html.empty()),
                    Show.person(v.approver()),
                    Show.time(v.at()),
                    v.comment().map(c -> Html.of(": <q>{}</q>", c)).orElse(Html.empty()))));
  }

  static Html timeline(List<AuditRecord> events) {
    if (events.isEmpty()) {
      return Html.of("<p class=\"muted\">No events.</p>");
    }
    return Html.of(
        "<ol class=\"timeline\">{}</ol>",
        Html.each(
            events,
            rec -> {
              AuditEvent e = rec.event();
              String who =
                  e.actor().email() != null
                      ? e.actor().email()
                      : e.actor().subject() != null ? e.actor().subject() : "stint";
              Optional<String> said = said(e);
              return Html.of(
                  "<li>{} <strong>{}</strong>{} by {}{}{}</li>",
                  Show.time(rec.occurredAt()),
                  said.orElse(e.type()),
                  said.isPresent()
                      ? Html.of(" <span class=\"muted\">({})</span>", e.type())
                      : Html.empty(),
                  who,
                  e.outcome() == null || said.isPresent()
                      ? Html.empty()
                      : Html.of(" · {}", e.outcome()),
                  e.reason() == null || e.type().equals("outbox.delivered")
                      ? Html.empty()
                      : Html.of(" · <span class=\"reason\">{}</span>", e.reason()));
            }));
  }

  /**
   * Events whose type alone does not say what happened, in words: what a delivery delivered (the
   * trial's timelines filled with "outbox.delivered … delivered"), and an extension's approval or
   * its withdrawal, which share their types with a request's.
   */
  static Optional<String> said(AuditEvent e) {
    Object extension = e.details().get("extension_id");
    if (e.type().startsWith("approval.") && extension != null) {
      // approval.recorded, approval.withdrawn: "approval recorded", "approval withdrawn".
      return Optional.of("extension " + extension + " " + e.type().replace('.', ' '));
    }
    if (!e.type().equals("outbox.delivered")) {
      return Optional.empty();
    }
    Object about = e.details().get("event");
    return Optional.of(
        delivered(String.valueOf(e.details().get("listener")))
            + " delivered"
            + (about == null ? "" : " for " + about));
  }

  /** What a listener delivers, by its name (notify.*, revocation): unknown names as they are. */
  private static String delivered(String listener) {
    return switch (listener) {
      case "notify.slack", "notify.slack.app" -> "Slack message";
      // Sent only to a requester who linked a Slack account: the delivery says nothing of which.
      case "notify.slack.requester", "notify.slack.requester_extension" ->
          "Slack message to the requester (if their Slack is linked)";
      case "notify.teams" -> "Teams message";
      case "revocation", "aws.revocation" -> "IAM deny";
      default -> listener.startsWith("notify.webhook.") ? "webhook" : listener;
    };
  }
}
