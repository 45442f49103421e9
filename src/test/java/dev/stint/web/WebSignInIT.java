package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.TestIdp;
import dev.stint.testing.TestServer;
import java.net.HttpCookie;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sign-in to the pages against a real OIDC provider (mock-oauth2-server): authorization code + PKCE
 * + state + nonce, the session cookie, CSRF, logout, and the refusals.
 */
class WebSignInIT {
  static TestIdp idp;
  static TestServer server;

  @BeforeAll
  static void start() {
    idp = new TestIdp("corp");
    server = TestServer.withPolicy(WebTestSetup.policy(idp));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
  }

  @Test
  void signedOutVisitorsAreSentToSignInAndSeeNothing() {
    Browser b = new Browser(server);
    for (String page :
        List.of(
            "/ui",
            "/ui/approvals",
            "/ui/audit",
            "/ui/break-glass",
            "/ui/requests/req_x",
            "/ui/no-such-page")) {
      HttpResponse<String> r = b.get(page);
      assertThat(r.statusCode()).as(page).isEqualTo(302);
      assertThat(r.headers().firstValue("Location").orElseThrow())
          .startsWith("/ui/login?return_to=%2Fui");
      assertThat(r.body()).as(page).isEmpty();
    }
    HttpResponse<String> post = b.post("/ui/requests", Map.of("profile", "aws-prod"));
    assertThat(post.statusCode()).isEqualTo(401);
    assertThat(post.body()).contains("not signed in");
  }

  @Test
  void theServersRootLeadsABrowserToThePages() {
    Browser b = new Browser(server);
    HttpResponse<String> root = b.get("/");
    assertThat(root.statusCode()).isEqualTo(302);
    assertThat(root.headers().firstValue("Location")).contains("/ui");
    assertThat(b.get("/ui").headers().firstValue("Location").orElseThrow())
        .startsWith("/ui/login?return_to=%2Fui");

    Browser alice = new Browser(server);
    alice.signIn(idp, "alice", "sre");
    HttpResponse<String> signedIn = alice.get("/");
    assertThat(signedIn.statusCode()).isEqualTo(302);
    assertThat(alice.get(signedIn.headers().firstValue("Location").orElseThrow()).statusCode())
        .isEqualTo(200);

    // Only a browser's GET: any other method on "/" is still the API's JSON 404.
    HttpResponse<String> post =
        b.send(
            HttpRequest.newBuilder(server.uri("/"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(post.statusCode()).isEqualTo(404);
    assertThat(post.headers().firstValue("Content-Type")).contains("application/problem+json");
  }

  @Test
  void signInSendsThePkceRequestAndOpensASession() {
    Browser b = new Browser(server);
    String authorize = b.startLogin();
    Map<String, String> q = Browser.query(authorize);
    assertThat(authorize).startsWith(idp.issuer() + "/authorize?");
    assertThat(q)
        .containsEntry("response_type", "code")
        .containsEntry("client_id", "stint-web")
        .containsEntry("code_challenge_method", "S256")
        .containsEntry("redirect_uri", "http://127.0.0.1:8080/ui/callback")
        .containsKeys("state", "nonce", "code_challenge");
    assertThat(q.get("scope")).contains("openid");
    assertThat(q.get("state")).hasSizeGreaterThanOrEqualTo(43);

    idp.nextLogin("alice", WebTestSetup.CLIENT, "sre");
    HttpResponse<String> callback = b.get(b.authorize(authorize));
    assertThat(callback.statusCode()).isEqualTo(303);
    assertThat(callback.headers().firstValue("Location")).contains("/ui");
    String setCookie =
        callback.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("stint_session="))
            .findFirst()
            .orElseThrow();
    assertThat(setCookie)
        .containsIgnoringCase("HttpOnly")
        .contains("SameSite=Lax")
        .contains("Path=/ui")
        .contains("Max-Age=")
        .doesNotContain("Secure");
    assertThat(setCookie.replaceAll(";.*", "").substring("stint_session=".length()))
        .hasSizeGreaterThanOrEqualTo(43);

    HttpResponse<String> home = b.get("/ui");
    assertThat(home.statusCode()).isEqualTo(200);
    assertThat(home.body()).contains("alice@example.com").contains("aws-prod");
  }

  @Test
  void signInReturnsToThePageAskedForButNeverOffSite() {
    Browser b = new Browser(server);
    HttpResponse<String> login = b.get("/ui/login?return_to=%2Fui%2Fapprovals");
    idp.nextLogin("alice", WebTestSetup.CLIENT, "sre");
    HttpResponse<String> cb =
        b.get(b.authorize(login.headers().firstValue("Location").orElseThrow()));
    assertThat(cb.headers().firstValue("Location")).contains("/ui/approvals");

    Browser evil = new Browser(server);
    HttpResponse<String> offsite = evil.get("/ui/login?return_to=%2F%2Fevil.example%2Fui");
    idp.nextLogin("alice", WebTestSetup.CLIENT, "sre");
    HttpResponse<String> cb2 =
        evil.get(evil.authorize(offsite.headers().firstValue("Location").orElseThrow()));
    assertThat(cb2.headers().firstValue("Location")).contains("/ui");
  }

  @Test
  void callbackWithAnotherStateIsRefused() {
    Browser b = new Browser(server);
    String authorize = b.startLogin();
    idp.nextLogin("alice", WebTestSetup.CLIENT, "sre");
    String callback = b.authorize(authorize);
    HttpResponse<String> forged = b.get(callback.replaceAll("state=[^&]+", "state=forged"));
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(forged.body()).contains("not started in this browser");
    assertThat(b.cookie("stint_session")).isEmpty();
    assertThat(b.get("/ui").statusCode()).isEqualTo(302);
  }

  @Test
  void aCallbackWorksOnceAndOnlyInTheBrowserThatStartedIt() {
    Browser b = new Browser(server);
    String authorize = b.startLogin();
    idp.nextLogin("alice", WebTestSetup.CLIENT, "sre");
    String callback = b.authorize(authorize);

    // Planted in another browser (login CSRF): that browser has no binding cookie.
    Browser other = new Browser(server);
    assertThat(other.get(callback).statusCode()).isEqualTo(401);
    assertThat(other.cookie("stint_session")).isEmpty();

    assertThat(b.get(callback).statusCode()).isEqualTo(303);
    // Replayed: the binding cookie was cleared and the pending sign-in deleted.
    Browser replay = new Browser(server);
    replay
        .cookies
        .getCookieStore()
        .add(
            server.uri("/ui/callback"),
            cookie(
                "stint_login",
                Browser.query("http://x/?" + callback.split("\\?")[1]).get("state"),
                "/ui/callback"));
    HttpResponse<String> again = replay.get(callback);
    assertThat(again.statusCode()).isEqualTo(401);
    assertThat(again.body()).contains("expired or was already used");
    assertThat(replay.cookie("stint_session")).isEmpty();
  }

  @Test
  void anIdTokenForAnotherSignInIsRefused() {
    Browser b = new Browser(server);
    String authorize = b.startLogin();
    idp.nextLogin("alice", WebTestSetup.CLIENT, "sre");
    // The IdP is asked for a token bound to a different nonce: an injected token.
    HttpResponse<String> cb =
        b.get(b.authorize(authorize.replaceAll("nonce=[^&]+", "nonce=someone-elses-nonce")));
    assertThat(cb.statusCode()).isEqualTo(401);
    assertThat(cb.body()).contains("nonce mismatch");
    assertThat(b.cookie("stint_session")).isEmpty();
  }

  @Test
  void aCodeForAnotherPkceChallengeIsRefusedByTheProvider() {
    Browser b = new Browser(server);
    String authorize = b.startLogin();
    idp.nextLogin("alice", WebTestSetup.CLIENT, "sre");
    HttpResponse<String> cb =
        b.get(
            b.authorize(
                authorize.replaceAll(
                    "code_challenge=[^&]+",
                    "code_challenge=" + SignIn.challenge("another-verifier"))));
    assertThat(cb.statusCode()).isEqualTo(502);
    assertThat(cb.body()).contains("refused the code exchange");
    assertThat(b.cookie("stint_session")).isEmpty();
  }

  @Test
  void formsWithoutTheRightCsrfTokenOrFromAnotherOriginAreRefused() {
    Browser b = new Browser(server);
    b.signIn(idp, "carol", "sre");
    Map<String, String> request =
        Map.of("profile", "aws-prod", "duration_seconds", "3600", "reason", "INC-1 csrf probe");
    assertThat(b.post("/ui/requests", request).statusCode()).isEqualTo(403);
    Map<String, String> wrong = new HashMap<>(request);
    wrong.put("csrf", "A".repeat(43));
    HttpResponse<String> refused = b.post("/ui/requests", wrong);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("security token").contains("nothing was changed");
    Map<String, String> right = new HashMap<>(request);
    right.put("csrf", b.csrf());
    assertThat(b.post("/ui/requests", right, Optional.of("https://evil.example")).statusCode())
        .isEqualTo(403);
    assertThat(b.post("/ui/logout", Map.of()).statusCode()).isEqualTo(403);
    // Nothing was created by any of them, and the session still works.
    assertThat(b.get("/ui").body()).doesNotContain("csrf probe").contains("carol@example.com");
    // The same form from this server's own origin goes through.
    HttpResponse<String> ok = b.post("/ui/requests", right, Optional.of("http://127.0.0.1:8080"));
    assertThat(ok.statusCode()).isEqualTo(303);
    assertThat(b.get("/ui").body()).contains("INC-1 csrf probe");
  }

  @Test
  void signingInAgainReplacesTheSessionId() {
    Browser b = new Browser(server);
    b.signIn(idp, "frank", "eng");
    String first = b.cookie("stint_session").orElseThrow().getValue();
    b.signIn(idp, "frank", "eng");
    String second = b.cookie("stint_session").orElseThrow().getValue();
    assertThat(second).isNotEqualTo(first);
    assertThat(b.get("/ui").statusCode()).isEqualTo(200);
    HttpResponse<String> old =
        server.send(
            HttpRequest.newBuilder(server.uri("/ui"))
                .header("Cookie", "stint_session=" + first)
                .build());
    assertThat(old.statusCode()).isEqualTo(302);
  }

  @Test
  void logoutEndsTheSession() {
    Browser b = new Browser(server);
    b.signIn(idp, "dave", "eng");
    String secret = b.cookie("stint_session").orElseThrow().getValue();
    HttpResponse<String> out = b.submit("/ui/logout", Map.of());
    assertThat(out.statusCode()).isEqualTo(200);
    assertThat(out.body()).contains("signed out");
    assertThat(out.headers().allValues("Set-Cookie"))
        .anyMatch(
            c ->
                c.startsWith("stint_session=;")
                    || c.startsWith("stint_session=\"\";")
                    || c.contains("Max-Age=0"));
    // The old cookie, kept by a thief, opens nothing.
    HttpResponse<String> stale =
        server.send(
            HttpRequest.newBuilder(server.uri("/ui"))
                .header("Cookie", "stint_session=" + secret)
                .build());
    assertThat(stale.statusCode()).isEqualTo(302);
  }

  @Test
  void pagesCarryTheSecurityHeaders() {
    Browser b = new Browser(server);
    b.signIn(idp, "erin", "eng");
    for (HttpResponse<String> r : List.of(b.get("/ui"), b.get("/ui/login"))) {
      assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
          .contains("default-src 'self'")
          .contains("frame-ancestors 'none'")
          .contains("script-src 'self'")
          .doesNotContain("unsafe-inline");
      assertThat(r.headers().firstValue("X-Frame-Options")).contains("DENY");
      assertThat(r.headers().firstValue("Referrer-Policy")).contains("same-origin");
      assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
    }
    HttpResponse<String> css = b.get("/ui/static/stint.css");
    assertThat(css.statusCode()).isEqualTo(200);
    assertThat(css.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/css");
    assertThat(b.get("/ui/static/..%2Fweb%2Fstint.css").statusCode()).isEqualTo(404);
  }

  private static HttpCookie cookie(String name, String value, String path) {
    HttpCookie c = new HttpCookie(name, value);
    c.setPath(path);
    c.setVersion(0);
    return c;
  }
}
