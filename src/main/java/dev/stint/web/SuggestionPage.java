package dev.stint.web;

import dev.stint.http.AuditRoutes;
import dev.stint.rightsize.Suggestion;
import dev.stint.rightsize.Suggestions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * A profile's right-sizing page ({@code /ui/profiles/{name}/suggestion?since=90d},
 * docs/policies.md): today's session policy and the suggested one side by side, what stint proved
 * of the suggestion, the actions the profile's allowed calls needed and what nobody used. Read and
 * refused exactly as {@code GET /v1/profiles/{name}/suggestion} ({@link Suggestions}: auditors and
 * admins, anyone else refused and recorded).
 */
final class SuggestionPage {
  private final Suggestions suggestions;
  private final Clock clock;

  SuggestionPage(Suggestions suggestions, Clock clock) {
    this.suggestions = suggestions;
    this.clock = clock;
  }

  void register(Router ui) {
    ui.get("/profiles/:name/suggestion").handler(ctx -> Respond.page(ctx, this::show));
  }

  private Future<?> show(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    String since =
        Optional.ofNullable(ctx.queryParams().get("since"))
            .filter(s -> !s.isBlank())
            .orElse(Suggestions.DEFAULT_SINCE);
    return suggestions
        .of(
            v.caller(ctx),
            ctx.pathParam("name"),
            () -> AuditRoutes.instant("since", since, clock.instant()))
        .map(
            Respond.then(
                s ->
                    Respond.html(
                        ctx,
                        200,
                        Layout.page(
                            Optional.of(v), "Right-sizing " + s.profile(), body(s, since)))));
  }

  static Html body(Suggestion s, String since) {
    return Html.of(
        """
        <p>What profile {}'s own credentials did that AWS allowed since {} ({} call(s), {} \
        grant(s)), as the session policy it needs (docs/policies.md, "Right-sizing a profile"). \
        From a terminal: <code>stint profile suggest {} --since {} --yaml</code>.</p>
        {}
        <dl class="facts">
        <dt>Within today's policy</dt><dd>{}</dd>
        <dt>Allows every observed call</dt><dd>{}</dd>
        <dt>Unused today</dt><dd>{}</dd>
        </dl>
        <div class="side-by-side">
        <section aria-labelledby="today-h"><h2 id="today-h">Today</h2><pre>{}</pre></section>
        <section aria-labelledby="sugg-h"><h2 id="sugg-h">Suggested</h2><pre>{}</pre></section>
        </div>
        <section aria-labelledby="obs-h"><h2 id="obs-h">Observed</h2>{}</section>""",
        s.profile(),
        Show.time(s.since()),
        s.calls(),
        s.grants(),
        s.profile(),
        since,
        Html.each(s.notes(), n -> Html.of("<p class=\"muted\">{}</p>", n)),
        proof(s.contained()),
        proof(s.coversObserved()),
        unused(s.unused()),
        s.today().map(SuggestionPage::pretty).orElse("managed session policies stint cannot read"),
        s.suggestedDocument().map(SuggestionPage::prettyDocument).orElse("nothing to suggest yet"),
        observed(s.observed()));
  }

  private static Html proof(Suggestion.Proof p) {
    return p.proven()
        ? Html.of("<span class=\"state state-approved\">proven</span>")
        : Html.of("not proven: {}", p.why().orElse(""));
  }

  /** What today's policy allows that nobody used, as the review page shows it too. */
  static Html unused(List<String> patterns) {
    if (patterns.isEmpty()) {
      return Html.of("none");
    }
    return Html.each(patterns, p -> Html.of("<code>{}</code> ", p));
  }

  private static String pretty(String statements) {
    return new JsonArray(statements).encodePrettily();
  }

  private static String prettyDocument(String document) {
    return new JsonObject(document).encodePrettily();
  }

  private static Html observed(List<Suggestion.Observed> observed) {
    if (observed.isEmpty()) {
      return Html.of("<p class=\"muted\">No allowed call seen in the window.</p>");
    }
    return Html.of(
        """
        <div class="scroll"><table class="cards"><thead><tr><th scope="col">Action</th>\
        <th scope="col">Calls</th><th scope="col">Last seen</th><th scope="col">Resources</th>\
        </tr></thead><tbody>{}</tbody></table></div>""",
        Html.each(
            observed,
            o ->
                Html.of(
                    "<tr><td data-label=\"Action\"><code>{}</code></td>"
                        + "<td data-label=\"Calls\">{}</td><td data-label=\"Last seen\">{}</td>"
                        + "<td data-label=\"Resources\">{}</td></tr>",
                    o.action(),
                    o.count(),
                    Show.time(o.lastSeen()),
                    String.join(" ", o.resources()))));
  }
}
