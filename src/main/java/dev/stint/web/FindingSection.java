package dev.stint.web;

import dev.stint.finding.Finding;
import dev.stint.finding.rules.EventRef;
import dev.stint.policy.FindingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The findings on a request's or a lease's calls, as their page shows them: each finding's rule,
 * severity, the rule's sentence, its mode (a dry run or live), what it did and when, and the calls
 * it names, each a link to that call's row in the page's activity list, which marks it ({@link
 * #flagged}). The caller has already checked the visitor may see the request.
 */
final class FindingSection {
  /** What an id may hold in an anchor; anything else becomes {@code _}. */
  private static final Pattern NOT_ANCHOR = Pattern.compile("[^A-Za-z0-9_.:-]");

  private FindingSection() {}

  /** The anchor of the call {@code eventId} in the activity list. */
  static String callAnchor(String eventId) {
    return "call-" + NOT_ANCHOR.matcher(eventId).replaceAll("_");
  }

  /** The anchor of finding {@code id} on its page. */
  static String anchor(String id) {
    return "finding-" + NOT_ANCHOR.matcher(id).replaceAll("_");
  }

  /** Each call the findings name, with the ids of the findings naming it. */
  static Map<String, List<String>> flagged(List<Finding> findings) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Finding f : findings) {
      for (EventRef e : f.events()) {
        out.computeIfAbsent(e.eventId(), k -> new ArrayList<>()).add(f.id());
      }
    }
    return out;
  }

  /**
   * The section: nothing before the request has a grant (no call can have been made), else its
   * findings, newest first, or that there are none.
   */
  static Html of(List<Finding> findings, boolean granted) {
    if (!granted) {
      return Html.empty();
    }
    if (findings.isEmpty()) {
      return Html.of(
          "<section aria-labelledby=\"fnd-h\"><h2 id=\"fnd-h\">Findings</h2>"
              + "<p class=\"muted\">No finding on these calls.</p></section>");
    }
    return Html.of(
        """
        <section aria-labelledby="fnd-h"><h2 id="fnd-h">Findings</h2>
        <div class="scroll"><table class="findings cards"><thead><tr>\
        <th scope="col">Raised</th><th scope="col">Severity</th><th scope="col">Rule</th>\
        <th scope="col">Mode</th><th scope="col">Action</th><th scope="col">What happened</th>\
        <th scope="col">Calls</th></tr></thead><tbody>{}</tbody></table></div></section>""",
        Html.each(findings, FindingSection::row));
  }

  private static Html row(Finding f) {
    return Html.of(
        "<tr id=\"{}\" class=\"finding sev-{}\"><td data-label=\"Raised\">{}</td>"
            + "<td data-label=\"Severity\"><span class=\"severity sev-{}\">{}</span></td>"
            + "<td data-label=\"Rule\"><code>{}</code></td><td data-label=\"Mode\">{}</td>"
            + "<td data-label=\"Action\">{}</td><td class=\"reason\" data-label=\"What happened\">"
            + "{}{}</td><td data-label=\"Calls\">{}</td></tr>",
        anchor(f.id()),
        f.severity().code(),
        Show.time(f.raisedAt()),
        f.severity().code(),
        f.severity().code(),
        f.rule().id(),
        f.mode() == FindingMode.DRY_RUN ? "dry run" : "live",
        action(f),
        f.why(),
        f.origin()
            .leaseId()
            .map(
                l ->
                    Html.of(
                        " <span class=\"muted\">(a call of lease <a href=\"/ui/leases/{}\">{}</a>)</span>",
                        l,
                        l))
            .orElse(Html.empty()),
        Html.each(
            f.events(),
            e -> Html.of("<a href=\"#{}\">{}</a> ", callAnchor(e.eventId()), e.eventName())));
  }

  /** What the finding did, and when it was carried out. */
  static Html action(Finding f) {
    String what =
        switch (f.action()) {
          case NONE -> "none (a dry run)";
          case NOTIFIED -> "told the holder and approvers";
          case LEASE_ENDED -> "lease ended";
          case GRANT_REVOKED -> "grant revoked";
        };
    return f.actedAt()
        .map(at -> Html.of("{}<br><span class=\"muted\">{}</span>", what, Show.time(at)))
        .orElse(Html.of("{}", what));
  }
}
