package dev.stint.demo;

import static dev.stint.demo.HttpForms.escape;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The development IdP's HTML: the user picker and its error page, both plainly marked. */
final class DevSignInPage {
  /** The sign-in parameters the picker carries over from GET to POST, and no others. */
  private static final Set<String> CARRIED =
      Set.of(
          "response_type",
          "client_id",
          "redirect_uri",
          "scope",
          "state",
          "nonce",
          "code_challenge",
          "code_challenge_method");

  private DevSignInPage() {}

  static String picker(Map<String, String> params, List<DevUser> users) {
    StringBuilder hidden = new StringBuilder();
    params.forEach(
        (k, v) -> {
          if (CARRIED.contains(k)) {
            hidden
                .append("<input type=\"hidden\" name=\"")
                .append(escape(k))
                .append("\" value=\"")
                .append(escape(v))
                .append("\">");
          }
        });
    StringBuilder buttons = new StringBuilder();
    for (DevUser u : users) {
      buttons
          .append("<li><button type=\"submit\" name=\"user\" value=\"")
          .append(escape(u.login()))
          .append("\" id=\"user-")
          .append(escape(u.login()))
          .append("\"><b>")
          .append(escape(u.login()))
          .append("</b> ")
          .append(escape(u.name()))
          .append(" <small>groups: ")
          .append(escape(String.join(", ", u.groups())))
          .append("</small></button></li>");
    }
    return page(
        "<p>Signing in to <code>"
            + escape(params.getOrDefault("client_id", ""))
            + "</code>. Pick who you are; there is no password.</p>"
            + "<form method=\"post\" action=\"/authorize\">"
            + hidden
            + "<ul>"
            + buttons
            + "</ul></form>");
  }

  static String error(String message) {
    return page("<p class=\"error\">" + escape(message) + "</p>");
  }

  private static String page(String body) {
    return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
        + DevIdp.PAGE_TITLE
        + "</title><style>"
        + "body{font-family:system-ui,sans-serif;max-width:36em;margin:3em auto;color:#222}"
        + ".banner{background:#b00020;color:#fff;padding:.6em 1em;border-radius:4px}"
        + "ul{list-style:none;padding:0}li{margin:.5em 0}"
        + "button{width:100%;text-align:left;padding:.7em;font-size:1em;cursor:pointer}"
        + "small{color:#555}.error{color:#b00020}</style></head><body>"
        + "<h1>"
        + DevIdp.PAGE_TITLE
        + "</h1>"
        + "<p class=\"banner\">This identity provider belongs to <code>stint demo</code>: anyone who"
        + " can reach it can sign in as anyone. It listens on 127.0.0.1 only.</p>"
        + body
        + "</body></html>";
  }
}
