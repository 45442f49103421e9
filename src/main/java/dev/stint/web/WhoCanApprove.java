package dev.stint.web;

import dev.stint.access.AccessRequest;
import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.AccessRequest.StageProgress;
import dev.stint.access.Approvers;
import dev.stint.people.PeopleSeen;
import dev.stint.policy.Escalation;
import dev.stint.policy.Policy;
import dev.stint.policy.Stage;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The request page's "Who can approve", while a request waits: the people seen lately whose vote
 * would count, most recent first; or, when stint has seen none of them (it knows people only once
 * they have signed in), that none has signed in yet, and the approver rule of the stage that is
 * open, in words where it is the common one-group rule, so that the requester knows whom to ask.
 */
final class WhoCanApprove {
  /** How many possible approvers the page names. */
  static final int SHOWN = 10;

  /**
   * {@code principal.groups.exists(g, g == "NAME")}, the rule policies write most, which reads as
   * "anyone in the group NAME"; any other rule is shown as written.
   */
  private static final Pattern ONE_GROUP =
      Pattern.compile(
          "\\s*principal\\.groups\\.exists\\(\\s*(\\w+)\\s*,\\s*\\1\\s*==\\s*\"([^\"\\\\]+)\"\\s*\\)\\s*");

  private WhoCanApprove() {}

  /**
   * The open stage of {@code r} under {@code policy} (the policy in force, whose rules the names
   * above are judged by); empty when the policy no longer has the profile or the stage.
   */
  static Optional<Stage> openStage(Policy policy, AccessRequest r) {
    return StageProgress.open(r)
        .flatMap(open -> policy.profile(r.profile()).flatMap(p -> p.approval().stage(open.name())));
  }

  /** The section; nothing once the request no longer waits for votes. */
  static Html of(AccessRequest r, List<Approvers.Candidate> who, Optional<Stage> stage) {
    if (r.state() != RequestState.PENDING) {
      return Html.empty();
    }
    Html heading =
        Html.of(
            "<h2 id=\"who-h\">Who can approve{}</h2>",
            StageProgress.open(r)
                .filter(s -> r.staged())
                .map(s -> Html.of(" in stage {}", s.name()))
                .orElse(Html.empty()));
    if (who.isEmpty()) {
      return Html.of("<section aria-labelledby=\"who-h\">{}{}</section>", heading, noneSeen(stage));
    }
    return Html.of(
        "<section aria-labelledby=\"who-h\">{}<ul class=\"approvers\">{}</ul>{}</section>",
        heading,
        Html.each(
            who.stream().limit(SHOWN).toList(),
            c ->
                Html.of(
                    "<li>{} <span class=\"muted\">seen {}</span></li>",
                    Show.person(c.person()),
                    Show.time(c.seenAt()))),
        who.size() > SHOWN
            ? Html.of("<p class=\"muted\">and {} more</p>", who.size() - SHOWN)
            : Html.empty());
  }

  /** Nobody to name: why, and the rule that says who can, so the requester knows whom to ask. */
  private static Html noneSeen(Optional<Stage> stage) {
    Html why =
        Html.of(
            "<p>No approver has signed in to stint yet: stint knows people only once they have"
                + " signed in, and none who has in the last {} days could approve this request"
                + " (the requester and those who already decided aside).</p>",
            PeopleSeen.SEEN_WITHIN.toDays());
    if (stage.isEmpty()) {
      return Html.of(
          "{}<p class=\"muted\">Ask an approver of this profile to sign in to stint once.</p>",
          why);
    }
    return Html.of(
        "{}{}{}<p class=\"muted\">Ask someone it admits to sign in to stint and open this page.</p>",
        why,
        rule("Who may approve", stage.get().approvers().source()),
        stage.get().escalation().map(WhoCanApprove::escalation).orElse(Html.empty()));
  }

  private static Html escalation(Escalation e) {
    return rule(
        "Once the request has waited " + Show.duration(e.after()) + ", also", e.to().source());
  }

  /** A rule in words where it is one group's, and always as the policy writes it. */
  private static Html rule(String lead, String source) {
    Matcher group = ONE_GROUP.matcher(source);
    if (group.matches()) {
      return Html.of(
          "<p>{}: anyone in the group <strong>{}</strong> <span class=\"muted\">(the policy's"
              + " rule: <code>{}</code>)</span>.</p>",
          lead,
          group.group(2),
          source.strip());
    }
    return Html.of(
        "<p>{}: whoever this rule of the policy admits:</p><pre class=\"policy\"><code>{}</code></pre>",
        lead,
        source.strip());
  }
}
