package dev.stint.demo;

import dev.stint.standin.JiraIssues;
import dev.stint.standin.JiraStandIn;
import dev.stint.standin.QueryRequest;
import dev.stint.standin.StandInReply;
import java.util.Optional;

/**
 * The demo Jira's controls ({@code /demo} on the stand-in): its tickets, each with a button that
 * closes it (moves it to Done) or reopens it ({@code POST /demo/close} or {@code /demo/reopen} with
 * {@code ticket}). stint sees the change at its next lookup, as it would see a ticket closed in
 * Jira.
 */
final class TicketDemoPage {
  static final String TITLE = "Jira (demo stand-in)";

  private final JiraStandIn jira;

  TicketDemoPage(JiraStandIn jira) {
    this.jira = jira;
  }

  StandInReply answer(QueryRequest call) {
    Optional<StandInReply> refused = DemoControls.refusal(call, "close", "reopen");
    if (refused.isPresent()) {
      return refused.get();
    }
    return "GET".equals(call.method()) ? page() : change(call);
  }

  private StandInReply change(QueryRequest call) {
    String key = call.param("ticket");
    if (key == null) {
      return DemoControls.answer(call, 400, "Name the ticket: ticket=KEY.");
    }
    if (jira.issues().issue(key).isEmpty()) {
      return DemoControls.answer(call, 404, "There is no ticket " + key + ".");
    }
    boolean close = call.path().endsWith("/close");
    if (close) {
      jira.issues().close(key);
    } else {
      jira.issues().reopen(key);
    }
    JiraIssues.Issue now = jira.issues().issue(key).orElseThrow();
    return DemoControls.answer(
        call, 200, now.key() + " is " + now.status() + " (" + now.category() + ").");
  }

  private StandInReply page() {
    StringBuilder html =
        new StringBuilder(
            "<table><tr><th>ticket</th><th>status</th><th>assignee</th><th>project</th></tr>");
    for (JiraIssues.Issue i : jira.issues().all()) {
      boolean done = "done".equals(i.category());
      html.append("<tr><td>")
          .append(HttpForms.escape(i.key()))
          .append("</td><td>")
          .append(HttpForms.escape(i.status() + " (" + i.category() + ")"))
          .append("</td><td>")
          .append(i.assigneeEmail() == null ? "nobody" : HttpForms.escape(i.assigneeEmail()))
          .append("</td><td>")
          .append(HttpForms.escape(i.project()))
          .append("</td><td>")
          .append(
              DemoControls.form(
                  done ? "reopen" : "close", "", done ? "Reopen" : "Close", "ticket", i.key()))
          .append("</td></tr>");
    }
    html.append("</table><p>stint asks Jira's <code>GET /rest/api/3/issue/KEY</code> here with")
        .append(" its own token, and keeps an answer 30 seconds.</p>");
    return DemoControls.page(TITLE, html.toString());
  }
}
