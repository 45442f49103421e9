package dev.stint.web;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import java.net.URI;

/**
 * The pages' two cookies: the session and the sign-in in progress. Under an https public_url they
 * carry the {@code __Host-} prefix, which browsers accept only with Secure, Path=/ and no Domain: a
 * page on a sibling subdomain or on plain http cannot set or overwrite them (no session fixation
 * from next door), and only the prefixed name is read. Path=/ also sends them to the API, which
 * never reads cookies (it authenticates by bearer token only). Under http — a developer's loopback
 * — browsers refuse Secure cookies, so the plain names and the narrow paths stay.
 */
final class WebCookies {
  private static final String PREFIX = "__Host-";
  private final boolean secure;

  WebCookies(URI publicUrl) {
    this.secure = "https".equals(publicUrl.getScheme());
  }

  String sessionName() {
    return secure ? PREFIX + "stint_session" : "stint_session";
  }

  String loginName() {
    return secure ? PREFIX + "stint_login" : "stint_login";
  }

  Cookie session(String secret, long maxAgeSeconds) {
    return cookie(sessionName(), secret, "/ui").setMaxAge(maxAgeSeconds);
  }

  Cookie endSession() {
    return cookie(sessionName(), "", "/ui").setMaxAge(0);
  }

  Cookie login(String state, long maxAgeSeconds) {
    return cookie(loginName(), state, "/ui/callback").setMaxAge(maxAgeSeconds);
  }

  Cookie endLogin() {
    return cookie(loginName(), "", "/ui/callback").setMaxAge(0);
  }

  private Cookie cookie(String name, String value, String plainPath) {
    return Cookie.cookie(name, value)
        .setPath(secure ? "/" : plainPath)
        .setHttpOnly(true)
        .setSecure(secure)
        .setSameSite(CookieSameSite.LAX);
  }
}
