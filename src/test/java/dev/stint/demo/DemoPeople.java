package dev.stint.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.CliRun;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The demo's people as a test acts for them against a running {@code stint demo}: the CLI with a
 * token from the development IdP, a web page seen after signing in through the IdP's picker, and a
 * button pressed on the Slack stand-in's page.
 */
final class DemoPeople {
  private final Path home;
  private final URI server;
  private final URI idp;

  DemoPeople(Path home, URI server, URI idp) {
    this.home = home;
    this.server = server;
    this.idp = idp;
  }

  /** {@code stint args} as {@code user}, which must succeed: its output. */
  String cli(String user, String... args) throws Exception {
    String token = get(URI.create(idp + "/dev/token?user=" + user)).strip();
    CliRun run =
        CliRun.run(
            home.resolve("cli-" + user),
            Map.of("STINT_SERVER", server.toString(), "STINT_TOKEN", token),
            args);
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run.out();
  }

  /**
   * {@code path} as {@code user} sees it on the web: signed in through the development IdP's picker
   * as a browser would (stint's login, the IdP's form, the callback), with the session's cookies.
   */
  String webPage(String user, String path) throws Exception {
    HttpClient http =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    HttpResponse<String> login =
        http.send(
            HttpRequest.newBuilder(server.resolve("/ui/login")).build(),
            HttpResponse.BodyHandlers.ofString());
    URI authorize = URI.create(login.headers().firstValue("Location").orElseThrow());
    Map<String, String> form = new LinkedHashMap<>(HttpForms.parse(authorize.getRawQuery()));
    form.put("user", user);
    HttpResponse<String> picked = http.send(post(authorize.toString().split("\\?")[0], form), ok());
    URI callback = URI.create(picked.headers().firstValue("Location").orElseThrow());
    HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(callback).build(), ok());
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
    HttpResponse<String> page =
        http.send(HttpRequest.newBuilder(server.resolve(path)).build(), ok());
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    return page.body();
  }

  /** A press of a button on the Slack stand-in's page, as {@code member} sees it. */
  static HttpResponse<String> press(
      URI slack, String member, String channel, String actionId, String value) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            post(
                slack + "/click",
                Map.of("as", member, "channel", channel, "action_id", actionId, "value", value)),
            ok());
  }

  static String get(URI uri) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), ok()).body();
  }

  private static HttpRequest post(String uri, Map<String, String> form) {
    return HttpRequest.newBuilder(URI.create(uri))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(HttpForms.encode(form)))
        .build();
  }

  private static HttpResponse.BodyHandler<String> ok() {
    return HttpResponse.BodyHandlers.ofString();
  }
}
