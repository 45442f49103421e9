package dev.stint.web;

import dev.stint.agent.Agent;
import dev.stint.agent.AgentDesk;
import dev.stint.agent.AgentShown;
import dev.stint.lease.Lease;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The visitor's own enrolled agents, {@code /ui/agents} (docs/agents.md, "Agents that ask"): each
 * with its state, profiles and end, the leases it asked (each linked to its page, where a waiting
 * one is approved), and a Revoke form for a live one, whose POST revokes it and ends every lease it
 * asked. Never a token. Enrolling is {@code stint agent enroll}: its token is written to a file.
 */
final class AgentPages {
  private final AgentDesk agents;
  private final Clock clock;

  AgentPages(AgentDesk agents, Clock clock) {
    this.agents = agents;
    this.clock = clock;
  }

  void register(Router ui) {
    ui.get("/agents").handler(ctx -> Respond.page(ctx, this::list));
    ui.post("/agents/:id/revoke").handler(ctx -> Respond.page(ctx, this::revoke));
  }

  private Future<?> list(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    return agents
        .mine(v.caller(ctx))
        .map(
            Respond.then(
                mine ->
                    Respond.html(
                        ctx,
                        200,
                        Layout.page(
                            Optional.of(v), "Your agents", page(v, mine, clock.instant())))));
  }

  private Future<?> revoke(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    return agents
        .revoke(v.caller(ctx), ctx.pathParam("id"))
        .onSuccess(a -> Respond.seeOther(ctx, "/ui/agents"));
  }

  static Html page(Visitor v, List<AgentShown> mine, Instant now) {
    if (mine.isEmpty()) {
      return Html.of(
          "<p class=\"muted\">No agents. Enroll one for the profiles it may ask for:"
              + " <code>stint agent enroll coder --profile PROFILE</code>, then give its MCP client"
              + " <code>stint mcp --agent-file FILE</code>.</p>");
    }
    return Html.each(mine, a -> agent(v, a, now));
  }

  private static Html agent(Visitor v, AgentShown shown, Instant now) {
    Agent a = shown.agent();
    return Html.of(
        """
        <section aria-labelledby="{}-h"><h2 id="{}-h">{}</h2>
        <dl class="facts">
        <dt>Agent</dt><dd class="id">{}</dd>
        <dt>State</dt><dd>{}</dd>
        <dt>Profiles</dt><dd>{}</dd>
        <dt>Expires</dt><dd>{}</dd>
        </dl>{}{}</section>""",
        a.id(),
        a.id(),
        a.name(),
        a.id(),
        a.stateAt(now),
        String.join(", ", a.profiles()),
        Show.time(a.expiresAt()),
        asked(shown.asked(), now),
        a.liveAt(now) ? revokeForm(v, a) : Html.empty());
  }

  private static Html asked(List<Lease> leases, Instant now) {
    if (leases.isEmpty()) {
      return Html.of("<p class=\"muted\">It has asked for nothing yet.</p>");
    }
    return Html.of(
        "<div class=\"scroll\"><table class=\"cards\"><thead><tr><th>Lease</th><th>Profile</th>"
            + "<th>Task</th><th>State</th><th>Expires</th></tr></thead><tbody>{}</tbody></table>"
            + "</div>",
        Html.each(
            leases,
            l ->
                Html.of(
                    "<tr><td class=\"id\" data-label=\"Lease\"><a href=\"/ui/leases/{}\">{}</a></td>"
                        + "<td data-label=\"Profile\">{}</td>"
                        + "<td class=\"reason\" data-label=\"Task\">{}</td>"
                        + "<td data-label=\"State\">{}</td><td data-label=\"Expires\">{}</td></tr>",
                    l.id(),
                    l.id(),
                    l.profile(),
                    l.task(),
                    l.stateAt(now),
                    Show.time(l.window().expiresAt()))));
  }

  private static Html revokeForm(Visitor v, Agent a) {
    return Html.of(
        """
        <form method="post" action="/ui/agents/{}/revoke" class="inline">{}
        <button type="submit" class="revoke">Revoke agent</button></form>
        <p class="muted">Its token stops working and every lease it asked ends.</p>""",
        a.id(),
        Layout.csrfField(v));
  }
}
