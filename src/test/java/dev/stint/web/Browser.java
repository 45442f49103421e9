package dev.stint.web;

import dev.stint.testing.TestIdp;
import dev.stint.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A test's browser: java.net.http with a cookie jar and no automatic redirects, so each hop of the
 * sign-in can be looked at. The IdP (mock-oauth2-server) signs in non-interactively and redirects
 * to public_url's callback; the browser delivers that callback to the test server.
 */
final class Browser {
  static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  final CookieManager cookies = new CookieManager();
  final HttpClient http =
      HttpClient.newBuilder()
          .cookieHandler(cookies)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final TestServer server;

  Browser(TestServer server) {
    this.server = server;
  }

  HttpResponse<String> get(String pathOrUrl) {
    URI uri = pathOrUrl.startsWith("http") ? URI.create(pathOrUrl) : server.uri(pathOrUrl);
    return send(HttpRequest.newBuilder(uri).GET().build());
  }

  HttpResponse<String> post(String path, Map<String, String> form) {
    return post(path, form, Optional.empty());
  }

  HttpResponse<String> post(String path, Map<String, String> form, Optional<String> origin) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.uri(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(encode(form)));
    origin.ifPresent(o -> b.header("Origin", o));
    return send(b.build());
  }

  /** POSTs a form with this session's CSRF token (read from a page, as a browser would). */
  HttpResponse<String> submit(String path, Map<String, String> fields) {
    Map<String, String> form = new LinkedHashMap<>(fields);
    form.put("csrf", csrf());
    return post(path, form);
  }

  String csrf() {
    Matcher m = CSRF.matcher(get("/ui").body());
    if (!m.find()) {
      throw new IllegalStateException("no CSRF token on /ui: not signed in?");
    }
    return m.group(1);
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** GET /ui/login: answers the IdP authorize URL the server sent the browser to. */
  String startLogin() {
    HttpResponse<String> login = get("/ui/login");
    if (login.statusCode() != 302) {
      throw new IllegalStateException("login answered " + login.statusCode() + ": " + login.body());
    }
    return login.headers().firstValue("Location").orElseThrow();
  }

  /** Follows the authorize URL at the IdP; answers the callback path+query it redirects to. */
  String authorize(String authorizeUrl) {
    HttpResponse<String> idp = get(authorizeUrl);
    if (idp.statusCode() != 302) {
      throw new IllegalStateException("IdP answered " + idp.statusCode() + ": " + idp.body());
    }
    URI callback = URI.create(idp.headers().firstValue("Location").orElseThrow());
    return callback.getRawPath() + "?" + callback.getRawQuery();
  }

  /** A whole sign-in as {@code user}; answers the callback's response. */
  HttpResponse<String> signIn(TestIdp idp, String user, String... groups) {
    idp.nextLogin(user, WebTestSetup.CLIENT, groups);
    return get(authorize(startLogin()));
  }

  Optional<HttpCookie> cookie(String name) {
    return cookies.getCookieStore().getCookies().stream()
        .filter(c -> c.getName().equals(name))
        .findFirst();
  }

  static Map<String, String> query(String url) {
    String q = URI.create(url).getRawQuery();
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : q.split("&")) {
      int eq = pair.indexOf('=');
      out.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  static String encode(Map<String, String> form) {
    return form.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
