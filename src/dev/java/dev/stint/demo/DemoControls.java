package dev.stint.demo;

import dev.stint.standin.QueryRequest;
import dev.stint.standin.StandInReply;
import java.util.Optional;

/**
 * What the demo's pages on the PagerDuty and Jira stand-ins share: the page itself, and the answer
 * to a change, as a page that goes back to the controls for a browser's form and as one line of
 * text for curl. A change is a POST only, so following a link never changes what stint is told.
 */
final class DemoControls {
  /** Where the controls are on each stand-in: a path neither real API has. */
  static final String PATH = "/demo";

  private DemoControls() {}

  /** The refusal of a known path asked with the wrong method, or of a path there is not. */
  static Optional<StandInReply> refusal(QueryRequest call, String... changes) {
    boolean page = PATH.equals(call.path());
    boolean change = false;
    for (String c : changes) {
      change |= (PATH + "/" + c).equals(call.path());
    }
    if (!page && !change) {
      return Optional.of(answer(call, 404, "There is no " + call.path() + " here."));
    }
    String method = page ? "GET" : "POST";
    if (!method.equals(call.method())) {
      return Optional.of(answer(call, 405, call.path() + " takes " + method + " only."));
    }
    return Optional.empty();
  }

  /**
   * A change's outcome: for a browser, a page that goes back to the controls (when it was made).
   */
  static StandInReply answer(QueryRequest call, int status, String message) {
    String accept = call.header("Accept");
    if (accept == null || !accept.contains("text/html")) {
      return new StandInReply(status, "text/plain; charset=utf-8", message + "\n");
    }
    String back = "<a href=\"" + PATH + "\">Back</a>";
    return new StandInReply(
        status,
        "text/html; charset=utf-8",
        "<!doctype html><meta charset=\"utf-8\">"
            + (status == 200 ? "<meta http-equiv=\"refresh\" content=\"0;url=" + PATH + "\">" : "")
            + "<p>"
            + HttpForms.escape(message)
            + " "
            + back
            + "</p>");
  }

  /** A whole page with {@code title} and {@code body} (HTML already escaped). */
  static StandInReply page(String title, String body) {
    return new StandInReply(
        200,
        "text/html; charset=utf-8",
        "<!doctype html><html><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width\"><title>"
            + title
            + "</title><style>body{font-family:sans-serif;margin:2em;max-width:52em}"
            + "td,th{padding:.3em 1em .3em 0;text-align:left}code{background:#f4f4f4}"
            + "</style></head><body><h1>"
            + title
            + "</h1>"
            + body
            + "</body></html>");
  }

  /**
   * A form that POSTs {@code fields} (name, value pairs) and {@code controls} to {@code change}.
   */
  static String form(String change, String controls, String button, String... fields) {
    StringBuilder html =
        new StringBuilder("<form method=\"post\" action=\"" + PATH + "/" + change + "\">");
    for (int i = 0; i + 1 < fields.length; i += 2) {
      html.append("<input type=\"hidden\" name=\"")
          .append(HttpForms.escape(fields[i]))
          .append("\" value=\"")
          .append(HttpForms.escape(fields[i + 1]))
          .append("\">");
    }
    return html.append(controls)
        .append("<button>")
        .append(button)
        .append("</button></form>")
        .toString();
  }
}
