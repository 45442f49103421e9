package dev.stint.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The development IdP over HTTP: discovery, the PKCE code flow, and every refusal. */
class DevIdpTest {
  static final String CLI = "demo-cli";
  static final String WEB = "demo-web";
  static DevIdp idp;
  static DevIdpClient client;

  @BeforeAll
  static void start() throws Exception {
    idp =
        new DevIdp(
            DevClient.web(WEB, URI.create("http://127.0.0.1:1/ui/callback")),
            DevClient.nativeApp(CLI),
            "stint-api",
            Clock.systemUTC());
    client = new DevIdpClient(idp);
  }

  @AfterAll
  static void stop() {
    client.close();
    idp.close();
  }

  @Test
  void listensOnLoopbackOnlyAndDescribesItself() throws Exception {
    assertThat(idp.issuer().getHost()).isEqualTo("127.0.0.1");
    JsonNode doc =
        DevIdpClient.json(
            client.get(URI.create(idp.issuer() + "/.well-known/openid-configuration")));
    assertThat(doc.path("issuer").asText()).isEqualTo(idp.issuer().toString());
    assertThat(doc.path("authorization_endpoint").asText()).isEqualTo(idp.issuer() + "/authorize");
    assertThat(doc.path("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
    JsonNode jwks = DevIdpClient.json(client.get(URI.create(doc.path("jwks_uri").asText())));
    assertThat(jwks.path("keys").get(0).has("d")).as("no private part published").isFalse();
  }

  @Test
  void pickerPageIsMarkedDevelopmentOnlyAndEscapesWhatItEchoes() throws Exception {
    Map<String, String> p = client.authorizeParams(CLI, "s\"><script>x</script>", "n");
    HttpResponse<String> page = client.get(client.authorizeUrl(p));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains(DevIdp.PAGE_TITLE)
        .contains("value=\"alice\"")
        .contains("value=\"bob\"")
        .contains("value=\"carol\"")
        .doesNotContain("<script>x</script>")
        .contains("&lt;script&gt;");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
  }

  @Test
  void codeFlowWithPkceIssuesAVerifiableIdTokenWithTheUsersGroups() throws Exception {
    String code = signIn(client.authorizeParams(CLI, "state-1", "nonce-1"), "carol", "state-1");
    HttpResponse<String> answer = client.exchange(CLI, code, DevIdpClient.VERIFIER);
    assertThat(answer.statusCode()).isEqualTo(200);
    JWTClaimsSet claims = client.verified(DevIdpClient.json(answer).path("id_token").asText());
    assertThat(claims.getIssuer()).isEqualTo(idp.issuer().toString());
    assertThat(claims.getSubject()).isEqualTo("carol");
    assertThat(claims.getAudience()).containsExactly(CLI, "stint-api");
    assertThat(claims.getStringClaim("nonce")).isEqualTo("nonce-1");
    assertThat(claims.getStringClaim("email")).isEqualTo("carol@demo.stint.invalid");
    assertThat(claims.getStringListClaim("groups")).containsExactly("sre", "security");
  }

  @Test
  void aCodeWorksOnceAndOnlyWithItsVerifier() throws Exception {
    String code = signIn(client.authorizeParams(CLI, "s2", "n2"), "alice", "s2");
    HttpResponse<String> wrong =
        client.exchange(CLI, code, "another-verifier-0123456789-0123456789-01");
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(DevIdpClient.json(wrong).path("error").asText()).isEqualTo("invalid_grant");
    // The failed attempt used the code up: a stolen code cannot be retried with guesses.
    assertThat(client.exchange(CLI, code, DevIdpClient.VERIFIER).statusCode()).isEqualTo(400);

    String other = signIn(client.authorizeParams(CLI, "s3", "n3"), "alice", "s3");
    assertThat(client.exchange(WEB, other, DevIdpClient.VERIFIER).statusCode())
        .as("a code issued to another client")
        .isEqualTo(400);
    String fresh = signIn(client.authorizeParams(CLI, "s4", "n4"), "alice", "s4");
    assertThat(client.exchange(CLI, fresh, DevIdpClient.VERIFIER).statusCode()).isEqualTo(200);
    assertThat(client.exchange(CLI, fresh, DevIdpClient.VERIFIER).statusCode())
        .as("replayed code")
        .isEqualTo(400);
  }

  @Test
  void anUnregisteredRedirectOrClientGetsAnErrorPageNeverARedirect() throws Exception {
    Map<String, String> p = client.authorizeParams(WEB, "s", "n"); // web client: exact URI only
    HttpResponse<String> page = client.get(client.authorizeUrl(p));
    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(page.headers().firstValue("Location")).isEmpty();

    Map<String, String> remote = client.authorizeParams(CLI, "s", "n");
    remote.put("redirect_uri", "http://evil.example/callback");
    assertThat(client.get(client.authorizeUrl(remote)).statusCode()).isEqualTo(400);

    Map<String, String> unknown = client.authorizeParams("nobody", "s", "n");
    assertThat(client.get(client.authorizeUrl(unknown)).statusCode()).isEqualTo(400);
  }

  @Test
  void withoutPkceTheClientIsSentAnErrorWithItsState() throws Exception {
    Map<String, String> p = client.authorizeParams(CLI, "s5", "n");
    p.remove("code_challenge");
    HttpResponse<String> answer = client.get(client.authorizeUrl(p));
    assertThat(answer.statusCode()).isEqualTo(302);
    assertThat(answer.headers().firstValue("Location").orElseThrow())
        .startsWith(client.redirectUri() + "?error=invalid_request")
        .contains("state=s5");

    Map<String, String> plain = client.authorizeParams(CLI, "s6", "n");
    plain.put("code_challenge_method", "plain");
    assertThat(
            client.get(client.authorizeUrl(plain)).headers().firstValue("Location").orElseThrow())
        .contains("error=invalid_request");
  }

  @Test
  void anUnknownUserIsRefused() throws Exception {
    Map<String, String> form = new LinkedHashMap<>(client.authorizeParams(CLI, "s", "n"));
    form.put("user", "mallory");
    HttpResponse<String> answer = client.post(URI.create(idp.issuer() + "/authorize"), form);
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.headers().firstValue("Location")).isEmpty();
  }

  @Test
  void devTokenGivesTheCliClientsTokenForAKnownUserOnly() throws Exception {
    HttpResponse<String> bob = client.get(URI.create(idp.issuer() + "/dev/token?user=bob"));
    assertThat(bob.statusCode()).isEqualTo(200);
    JWTClaimsSet claims = client.verified(bob.body().strip());
    assertThat(claims.getSubject()).isEqualTo("bob");
    assertThat(claims.getAudience()).containsExactly(CLI, "stint-api");
    assertThat(client.get(URI.create(idp.issuer() + "/dev/token?user=eve")).statusCode())
        .isEqualTo(404);
  }

  /** A page of a name rebound to 127.0.0.1, or of another site, gets nobody's token. */
  @Test
  void devTokenAnswersThisMachinesOwnCallersOnly() throws Exception {
    int port = idp.issuer().getPort();
    assertThat(RawHttp.get(port, "/dev/token?user=bob", "rebound.example"))
        .startsWith("HTTP/1.1 421")
        .doesNotContain("eyJ");
    assertThat(RawHttp.get(port, "/dev/token?user=bob", "127.0.0.1")).startsWith("HTTP/1.1 200");
    HttpResponse<String> crossSite =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(idp.issuer() + "/dev/token?user=bob"))
                    .header("Origin", "https://evil.example")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(crossSite.body()).doesNotContain("eyJ");
  }

  /**
   * Chooses {@code user} on the picker (the form's POST) and returns the code from the redirect.
   */
  private static String signIn(Map<String, String> params, String user, String state)
      throws Exception {
    Map<String, String> form = new LinkedHashMap<>(params);
    form.put("user", user);
    HttpResponse<String> answer = client.post(URI.create(idp.issuer() + "/authorize"), form);
    assertThat(answer.statusCode()).isEqualTo(302);
    String location = answer.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(client.redirectUri() + "?code=").endsWith("&state=" + state);
    return HttpForms.parse(URI.create(location).getRawQuery()).get("code");
  }
}
