package dev.stint.web;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The frame of every page: a skip link, the navigation, who is signed in with a sign-out button,
 * and the main content. Plain HTML and one stylesheet; no script except the audit stream's.
 */
final class Layout {
  private record Link(String href, String label, Predicate<Visitor> shown) {}

  /**
   * Slack is offered wherever the server has a Slack app: a person's own Slack messages (their
   * request approved, their grant ending) reach them only once they link their account there.
   */
  private static final List<Link> NAV =
      List.of(
          new Link("/ui", "My requests", v -> true),
          new Link("/ui/approvals", "Approvals", v -> true),
          new Link("/ui/break-glass", "Break-glass", v -> true),
          new Link("/ui/access-reviews", "Access reviews", Visitor::reviews),
          new Link("/ui/audit", "Audit", Visitor::auditor),
          new Link("/ui/findings", "Findings", Visitor::auditor),
          new Link("/ui/slack/link", "Slack", Visitor::slack));

  private Layout() {}

  static Html page(Optional<Visitor> visitor, String title, Html main) {
    return page(visitor, title, main, Html.empty());
  }

  /** {@code scripts}: extra {@code <script src>} tags (same-origin files only, by the CSP). */
  static Html page(Optional<Visitor> visitor, String title, Html main, Html scripts) {
    return Html.of(
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{} · stint</title>
        <link rel="stylesheet" href="/ui/static/stint.css">
        {}</head>
        <body>
        <a class="skip" href="#main">Skip to content</a>
        <header>
        <a class="brand" href="/ui">stint</a>
        {}
        </header>
        <main id="main" tabindex="-1">
        <h1>{}</h1>
        {}
        </main>
        </body>
        </html>
        """,
        title,
        scripts,
        visitor.map(Layout::nav).orElse(Html.empty()),
        title,
        main);
  }

  private static Html nav(Visitor v) {
    List<Link> links = NAV.stream().filter(l -> l.shown().test(v)).toList();
    return Html.of(
        """
        <nav aria-label="Main"><ul>{}</ul></nav>
        <form class="signout" method="post" action="/ui/logout">
        <span>{}</span>
        {}
        <button type="submit">Sign out</button>
        </form>""",
        Html.each(links, l -> Html.of("<li><a href=\"{}\">{}</a></li>", l.href(), l.label())),
        v.principal().display(),
        csrfField(v));
  }

  /** The hidden field every state-changing form carries. */
  static Html csrfField(Visitor v) {
    return Html.of("<input type=\"hidden\" name=\"csrf\" value=\"{}\">", v.csrf());
  }

  static Html error(Optional<Visitor> visitor, int status, String title, String detail) {
    Html back =
        visitor.isPresent()
            ? Html.of("<p><a href=\"/ui\">Back to my requests</a></p>")
            : Html.of("<p><a href=\"/ui/login\">Sign in</a></p>");
    return page(
        visitor,
        title,
        Html.of(
            "<p class=\"error\" role=\"alert\">{}</p>{}<p class=\"muted\">HTTP {}</p>",
            detail,
            back,
            status));
  }
}
