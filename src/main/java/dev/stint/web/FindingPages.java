package dev.stint.web;

import dev.stint.finding.Finding;
import dev.stint.finding.FindingPage;
import dev.stint.finding.FindingQuery;
import dev.stint.finding.FindingReading;
import dev.stint.http.FindingRoutes;
import dev.stint.policy.FindingMode;
import dev.stint.policy.FindingRule;
import dev.stint.policy.FindingSeverity;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The auditors' findings page ({@code /ui/findings}): every finding the filters of {@code GET
 * /v1/findings} select ({@code since}, {@code severity} and above, {@code rule}; read by the API's
 * own {@link FindingRoutes#query}), newest first, each with whose access and which request and
 * lease, linked to their pages. Only the policy's auditors get it ({@link FindingReading#all},
 * which records anyone else's refusal); a bad filter is refused as the API refuses it.
 */
final class FindingPages {
  private final FindingReading findings;
  private final Clock clock;

  FindingPages(FindingReading findings, Clock clock) {
    this.findings = findings;
    this.clock = clock;
  }

  void register(Router ui) {
    ui.get("/findings").handler(ctx -> Respond.page(ctx, this::list));
  }

  /** The query is read once the visitor may list findings, as the API reads it. */
  private Future<?> list(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    return findings
        .all(v.caller(ctx), () -> FindingRoutes.query(ctx, clock.instant()))
        .map(
            Respond.then(
                listed ->
                    Respond.html(
                        ctx,
                        200,
                        Layout.page(
                            Optional.of(v),
                            "Findings",
                            body(ctx, listed.query(), listed.page())))));
  }

  private static Html body(RoutingContext ctx, FindingQuery q, FindingPage page) {
    String since =
        Optional.ofNullable(ctx.queryParams().get("since"))
            .filter(s -> !s.isBlank())
            .orElse(FindingRoutes.DEFAULT_SINCE);
    return Html.of(
        """
        <p>What the finding rules raised on every request's calls since {} (docs/findings.md). \
        From a terminal: <code>stint findings --since {}</code>.</p>
        <form method="get" action="/ui/findings" class="filters" role="search">
        <div><label for="f-since">Since</label><input id="f-since" name="since" type="text" \
        value="{}" placeholder="7d or 2026-01-02"></div>
        <div><label for="f-severity">Severity (and above)</label>\
        <select id="f-severity" name="severity">{}</select></div>
        <div><label for="f-rule">Rule</label><select id="f-rule" name="rule">\
        <option value="">any</option>{}</select></div>
        <button type="submit">Filter</button> <a href="/ui/findings">Clear</a>
        </form>
        {}{}""",
        Show.time(q.since()),
        since,
        since,
        Html.each(Arrays.asList(FindingSeverity.values()), s -> option(s.code(), s == q.atLeast())),
        Html.each(
            FindingRule.ids().stream().sorted().toList(),
            id -> option(id, q.rule().map(FindingRule::id).filter(id::equals).isPresent())),
        table(page.findings()),
        Html.when(
            page.truncated(),
            () ->
                Html.of(
                    "<p class=\"muted\">Only the newest {} are shown: narrow the filter.</p>",
                    FindingPage.LIMIT)));
  }

  private static Html option(String value, boolean selected) {
    return Html.of(
        "<option value=\"{}\"{}>{}</option>",
        value,
        selected ? Html.of(" selected") : Html.empty(),
        value);
  }

  private static Html table(List<Finding> found) {
    if (found.isEmpty()) {
      return Html.of("<p class=\"muted\">No finding matches.</p>");
    }
    return Html.of(
        """
        <div class="scroll"><table class="findings cards"><thead><tr>\
        <th scope="col">Raised</th><th scope="col">Severity</th><th scope="col">Rule</th>\
        <th scope="col">Mode</th><th scope="col">Action</th><th scope="col">Profile</th>\
        <th scope="col">Holder</th><th scope="col">Access</th><th scope="col">What happened</th>\
        </tr></thead><tbody>{}</tbody></table></div>""",
        Html.each(found, FindingPages::row));
  }

  private static Html row(Finding f) {
    var o = f.origin();
    return Html.of(
        "<tr class=\"finding sev-{}\"><td data-label=\"Raised\">{}</td>"
            + "<td data-label=\"Severity\"><span class=\"severity sev-{}\">{}</span></td>"
            + "<td data-label=\"Rule\"><code>{}</code></td><td data-label=\"Mode\">{}</td>"
            + "<td data-label=\"Action\">{}</td><td data-label=\"Profile\">{}</td>"
            + "<td data-label=\"Holder\">{}</td><td class=\"id\" data-label=\"Access\">"
            + "<a href=\"/ui/requests/{}#{}\">{}</a>{}</td>"
            + "<td class=\"reason\" data-label=\"What happened\">{}</td></tr>",
        f.severity().code(),
        Show.time(f.raisedAt()),
        f.severity().code(),
        f.severity().code(),
        f.rule().id(),
        f.mode() == FindingMode.DRY_RUN ? "dry run" : "live",
        FindingSection.action(f),
        o.profile(),
        o.holder().subject(),
        o.requestId(),
        FindingSection.anchor(f.id()),
        o.requestId(),
        o.leaseId()
            .map(
                l ->
                    Html.of(
                        "<br><a href=\"/ui/leases/{}#{}\">{}</a>",
                        l,
                        FindingSection.anchor(f.id()),
                        l))
            .orElse(Html.empty()),
        f.why());
  }
}
