package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Under an https public_url the web cookies carry the {@code __Host-} prefix (Secure, Path=/, no
 * Domain): a sibling subdomain or a plain-http page cannot plant or overwrite them, and the
 * unprefixed name is not accepted. (Under http on loopback the plain names stay; see WebSignInIT.)
 * The test speaks http to 127.0.0.1 and sends cookies by hand, as a browser would over the https
 * the public URL names.
 */
class HostCookiesIT {
  private static final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private static TestIdp idp;
  private static TestServer server;

  @BeforeAll
  static void start() {
    idp = new TestIdp("corp");
    server =
        TestServer.start(
            TestPostgres.migratedDatabase(),
            Map.of("STINT_PUBLIC_URL", "https://stint.example.test"),
            WebTestSetup.policy(idp));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
  }

  private static HttpResponse<String> get(URI uri, String cookie) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String setCookie(HttpResponse<?> r, String name) {
    return r.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith(name + "="))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no " + name + " cookie in " + r.headers().allValues("Set-Cookie")));
  }

  private static String value(String setCookie) {
    return setCookie.replaceAll(";.*", "").substring(setCookie.indexOf('=') + 1);
  }

  private static void hostOnly(String setCookie) {
    assertThat(setCookie)
        .contains("Secure")
        .contains("Path=/;")
        .containsIgnoringCase("HttpOnly")
        .doesNotContainIgnoringCase("Domain=");
  }

  @Test
  void signInSetsHostPrefixedCookiesAndOnlyThoseAreBelieved() throws Exception {
    HttpResponse<String> login = get(server.uri("/ui/login"), null);
    assertThat(login.statusCode()).isEqualTo(302);
    String loginCookie = setCookie(login, "__Host-stint_login");
    hostOnly(loginCookie);

    idp.nextLogin("sam", WebTestSetup.CLIENT, "sre");
    URI atIdp = URI.create(login.headers().firstValue("Location").orElseThrow());
    URI callback = URI.create(get(atIdp, null).headers().firstValue("Location").orElseThrow());
    assertThat(callback.toString()).startsWith("https://stint.example.test/ui/callback?");
    HttpResponse<String> done =
        get(
            server.uri(callback.getRawPath() + "?" + callback.getRawQuery()),
            "__Host-stint_login=" + value(loginCookie));
    assertThat(done.statusCode()).isEqualTo(303);
    String session = setCookie(done, "__Host-stint_session");
    hostOnly(session);

    HttpResponse<String> home = get(server.uri("/ui"), "__Host-stint_session=" + value(session));
    assertThat(home.statusCode()).isEqualTo(200);
    assertThat(home.body()).contains("sam@example.com");
    // The unprefixed name could have been planted by a sibling host: it is not a session here.
    HttpResponse<String> plain = get(server.uri("/ui"), "stint_session=" + value(session));
    assertThat(plain.statusCode()).isEqualTo(302);
    assertThat(plain.headers().firstValue("Location").orElseThrow()).startsWith("/ui/login");
  }

  @Test
  void theCallbackNeedsThePrefixedLoginCookie() throws Exception {
    HttpResponse<String> login = get(server.uri("/ui/login"), null);
    String state = value(setCookie(login, "__Host-stint_login"));
    idp.nextLogin("sam", WebTestSetup.CLIENT, "sre");
    URI callback =
        URI.create(
            get(URI.create(login.headers().firstValue("Location").orElseThrow()), null)
                .headers()
                .firstValue("Location")
                .orElseThrow());
    HttpResponse<String> refused =
        get(
            server.uri(callback.getRawPath() + "?" + callback.getRawQuery()),
            "stint_login=" + state);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().allValues("Set-Cookie"))
        .noneMatch(c -> c.contains("stint_session="));
  }
}
