package dev.stint.cli.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.cli.CliEnvironment;
import dev.stint.testing.Patience;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stint login --browser --no-open} end to end against mock-oauth2-server: the test plays the
 * browser, following the printed URL; mock-oauth2-server's non-interactive login redirects straight
 * to the CLI's loopback callback.
 */
class BrowserLoginTest {
  static final String CLIENT = "stint-cli";
  static MockOAuth2Server idp;
  static String issuer;

  @TempDir Path home;
  private final TestClock clock = new TestClock(Instant.now());
  private final HttpClient browser =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

  @BeforeAll
  static void startIdp() throws Exception {
    idp = new MockOAuth2Server();
    idp.start(InetAddress.getByName("127.0.0.1"), 0);
    issuer = idp.issuerUrl("corp").toString();
  }

  @AfterAll
  static void stopIdp() {
    idp.shutdown();
  }

  private CompletableFuture<Integer> login(Cli cli) {
    return cli.start(
        "login",
        "--browser",
        "--no-open",
        "--issuer",
        issuer,
        "--client-id",
        CLIENT,
        "--timeout",
        "30s");
  }

  private HttpResponse<String> follow(String url) throws Exception {
    return browser.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private Path loginFile() {
    return home.resolve(".config/stint/login.json");
  }

  @Test
  void browserLoginCompletesThroughTheLoopbackCallback() throws Exception {
    Cli cli = new Cli(home, Map.of(), clock);
    CompletableFuture<Integer> done = login(cli);
    String url = cli.err.url.get(Patience.seconds(10), TimeUnit.MILLISECONDS);
    assertThat(url)
        .startsWith(issuer + "/authorize?response_type=code&client_id=stint-cli")
        .contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A")
        .contains("%2Fcallback")
        .contains("code_challenge_method=S256")
        .contains("&state=")
        .contains("&nonce=");

    HttpResponse<String> page = follow(url);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("You can close this tab");
    assertThat(done.get(Patience.seconds(10), TimeUnit.MILLISECONDS)).as(cli.err()).isZero();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(loginFile())))
        .isEqualTo("rw-------");
    String stored = Files.readString(loginFile());
    assertThat(stored)
        .contains("\"issuer\" : \"" + issuer + "\"")
        .contains("\"refresh_token\" : \"");
    String idToken = stored.replaceAll("(?s).*\"id_token\" : \"([^\"]+)\".*", "$1");
    assertThat(IdToken.decode(idToken).verify(issuer, CLIENT, Optional.empty()).subject())
        .isNotEmpty();
    assertThat(cli.err() + cli.out()).doesNotContain(idToken);
  }

  @Test
  void callbackWithAnotherStateIsRefused() throws Exception {
    Cli cli = new Cli(home, Map.of(), clock);
    CompletableFuture<Integer> done = login(cli);
    Map<String, String> q = query(cli.err.url.get(Patience.seconds(10), TimeUnit.MILLISECONDS));
    HttpResponse<String> page = follow(q.get("redirect_uri") + "?code=stolen&state=forged");
    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(done.get(Patience.seconds(10), TimeUnit.MILLISECONDS)).isEqualTo(1);
    assertThat(cli.err()).contains("stint: login callback had the wrong state");
    assertThat(loginFile()).doesNotExist();
  }

  @Test
  void idTokenWithAnotherNonceIsRefused() throws Exception {
    Cli cli = new Cli(home, Map.of(), clock);
    CompletableFuture<Integer> done = login(cli);
    String url = cli.err.url.get(Patience.seconds(10), TimeUnit.MILLISECONDS);
    // The provider is asked for a token bound to a different nonce: an injected token.
    follow(url.replaceAll("&nonce=[^&]+", "&nonce=someone-elses-nonce"));
    assertThat(done.get(Patience.seconds(10), TimeUnit.MILLISECONDS)).isEqualTo(1);
    assertThat(cli.err()).contains("ID token was refused: its nonce does not match this login");
    assertThat(loginFile()).doesNotExist();
  }

  @Test
  void providerErrorOnTheCallbackIsReported() throws Exception {
    Cli cli = new Cli(home, Map.of(), clock);
    CompletableFuture<Integer> done = login(cli);
    Map<String, String> q = query(cli.err.url.get(Patience.seconds(10), TimeUnit.MILLISECONDS));
    follow(
        q.get("redirect_uri")
            + "?error=access_denied&error_description=User+said+no&state="
            + q.get("state"));
    assertThat(done.get(Patience.seconds(10), TimeUnit.MILLISECONDS)).isEqualTo(3);
    assertThat(cli.err())
        .endsWith("stint: identity provider refused the login: access_denied: User said no\n");
  }

  @Test
  void codeExchangeWithoutTheRightVerifierIsRefusedByTheProvider() throws Exception {
    Cli cli = new Cli(home, Map.of(), clock);
    CompletableFuture<Integer> done = login(cli);
    String url = cli.err.url.get(Patience.seconds(10), TimeUnit.MILLISECONDS);
    // A code obtained for another PKCE challenge (an intercepted code) cannot be redeemed.
    follow(
        url.replaceAll("code_challenge=[^&]+", "code_challenge=" + BrowserFlow.challenge("other")));
    assertThat(done.get(Patience.seconds(10), TimeUnit.MILLISECONDS)).isEqualTo(3);
    assertThat(cli.err())
        .contains("stint: identity provider refused the code exchange: invalid_grant");
  }

  @Test
  void refreshUsesTheRefreshTokenAndSavesTheNewTokens() throws Exception {
    // The first ID token lives 30 s: less than the 60 s a stored token must still have.
    idp.enqueueCallback(
        new DefaultOAuth2TokenCallback(
            "corp", "bob", "JWT", List.of(CLIENT), Map.of("email", "bob@example.com"), 30));
    Cli cli = new Cli(home, Map.of(), new TestClock(Instant.now()));
    CompletableFuture<Integer> done = login(cli);
    follow(cli.err.url.get(Patience.seconds(10), TimeUnit.MILLISECONDS));
    assertThat(done.get(Patience.seconds(10), TimeUnit.MILLISECONDS)).as(cli.err()).isZero();
    String before = Files.readString(loginFile());

    StoredLogin stored =
        new StoredLogin(
            new CliEnvironment(Map.of(), home, Clock.systemUTC(), System.out, System.err));
    String token = stored.get().orElseThrow();
    String after = Files.readString(loginFile());
    assertThat(after).isNotEqualTo(before).contains(token);
    IdToken refreshed = IdToken.decode(token).verify(issuer, CLIENT, Optional.empty());
    assertThat(refreshed.subject()).isEqualTo("bob");
    assertThat(refreshed.expiresAt()).isAfter(Instant.now());
    assertThat(token).isNotEqualTo(before.replaceAll("(?s).*\"id_token\" : \"([^\"]+)\".*", "$1"));
  }

  @Test
  void noSignInBeforeTheTimeoutEndsTheLogin() throws Exception {
    Cli cli = new Cli(home, Map.of(), clock);
    // A real (one second) wait on the callback future: the listener's timeout is wall-clock.
    int code =
        cli.run(
            "login",
            "--browser",
            "--no-open",
            "--issuer",
            issuer,
            "--client-id",
            CLIENT,
            "--timeout",
            "1s");
    assertThat(code).isEqualTo(3);
    assertThat(cli.err()).endsWith("stint: no sign-in within 1s: run 'stint login' again\n");
    String port = query(cli.err.url.get()).get("redirect_uri").replaceAll(".*:(\\d+)/.*", "$1");
    // The listener is gone once the login ends.
    assertThat(
            Assertions.catchThrowable(
                () -> follow("http://127.0.0.1:" + port + "/callback?code=x&state=y")))
        .isInstanceOf(IOException.class);
  }

  private static Map<String, String> query(String url) {
    return LoopbackListener.query(URI.create(url).getRawQuery());
  }
}
