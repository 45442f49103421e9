package dev.stint.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The demo's CI issuer over HTTP: each issuer's discovery and keys, GitHub's and GitLab's claims as
 * their references describe them, signatures that verify only against their own issuer's keys,
 * GitHub's token endpoint with its request token, and the minting pages' refusals.
 */
class DevCiIssuerTest {
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  static DevCiIssuer issuer;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    issuer = new DevCiIssuer(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterAll
  static void stop() {
    issuer.close();
  }

  @Test
  void eachIssuerDescribesItselfAndPublishesOnlyThePublicHalfOfItsOwnKey() throws Exception {
    assertThat(issuer.uri().getHost()).isEqualTo("127.0.0.1");
    for (URI iss : new URI[] {issuer.githubIssuer(), issuer.gitlabIssuer()}) {
      JsonNode doc = json(get(iss + "/.well-known/openid-configuration"));
      assertThat(doc.path("issuer").asText()).isEqualTo(iss.toString());
      JsonNode keys = json(get(doc.path("jwks_uri").asText())).path("keys");
      assertThat(keys).hasSize(1);
      assertThat(keys.get(0).path("kty").asText()).isEqualTo("RSA");
      assertThat(keys.get(0).has("d")).as("no private part published").isFalse();
    }
    assertThat(keysOf(issuer.githubIssuer()).getKeys().get(0).getKeyID())
        .as("a trust of its own each")
        .isNotEqualTo(keysOf(issuer.gitlabIssuer()).getKeys().get(0).getKeyID());
  }

  @Test
  void aGithubTokenCarriesGithubsClaimsAndVerifiesOnlyAgainstTheGithubIssuer() throws Exception {
    HttpResponse<String> answer =
        get(issuer.uri() + "/dev/github-token?repository=demo/app&ref=refs/heads/main&aud=stint");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    SignedJWT jwt = SignedJWT.parse(answer.body().strip());
    assertThat(verifies(jwt, issuer.githubIssuer())).isTrue();
    assertThat(verifies(jwt, issuer.gitlabIssuer())).isFalse();
    JWTClaimsSet c = jwt.getJWTClaimsSet();
    assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
    assertThat(c.getIssuer()).isEqualTo(issuer.githubIssuer().toString());
    assertThat(c.getSubject()).isEqualTo("repo:demo/app:ref:refs/heads/main");
    assertThat(c.getAudience()).containsExactly("stint");
    assertThat(c.getJWTID()).isNotBlank();
    assertThat(c.getIssueTime().toInstant()).isEqualTo(NOW);
    assertThat(c.getExpirationTime().toInstant()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
    assertThat(c.getClaims())
        .containsEntry("repository", "demo/app")
        .containsEntry("repository_owner", "demo")
        .containsEntry("ref", "refs/heads/main")
        .containsEntry("ref_type", "branch")
        .containsEntry("event_name", "push")
        .containsEntry("workflow", "deploy")
        .containsEntry("actor", "alice")
        .containsEntry("job_workflow_ref", "demo/app/.github/workflows/deploy.yml@refs/heads/main")
        .containsEntry("repository_id", CiJobClaims.derivedId("demo/app"))
        .doesNotContainKey("environment");
    assertThat(c.getStringClaim("run_id")).matches("[0-9]+");
    assertThat(c.getStringClaim("sha")).matches("[0-9a-f]{40}");
  }

  @ParameterizedTest
  @CsvSource({
    "environment=prod, repo:demo/app:environment:prod",
    "event_name=pull_request&ref=refs/pull/7/merge, repo:demo/app:pull_request",
    "ref=refs/tags/v1, repo:demo/app:ref:refs/tags/v1",
  })
  void theGithubSubjectFollowsGithubsOrder(String extra, String subject) throws Exception {
    JWTClaimsSet c = github("repository=demo/app&aud=stint&" + extra);
    assertThat(c.getSubject()).isEqualTo(subject);
  }

  @Test
  void withoutAnAudienceGithubsDefaultIsTheOwnersUrl() throws Exception {
    assertThat(github("repository=acme/api").getAudience())
        .containsExactly("https://github.com/acme");
  }

  @Test
  void aGitlabTokenCarriesGitlabsClaimsAndVerifiesOnlyAgainstTheGitlabIssuer() throws Exception {
    HttpResponse<String> answer =
        get(issuer.uri() + "/dev/gitlab-token?project_path=demo/sub/app&ref=main&aud=stint");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    SignedJWT jwt = SignedJWT.parse(answer.body().strip());
    assertThat(verifies(jwt, issuer.gitlabIssuer())).isTrue();
    assertThat(verifies(jwt, issuer.githubIssuer())).isFalse();
    JWTClaimsSet c = jwt.getJWTClaimsSet();
    assertThat(c.getIssuer()).isEqualTo(issuer.gitlabIssuer().toString());
    assertThat(c.getSubject()).isEqualTo("project_path:demo/sub/app:ref_type:branch:ref:main");
    assertThat(c.getAudience()).containsExactly("stint");
    assertThat(c.getExpirationTime().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(1)));
    assertThat(c.getClaims())
        .containsEntry("project_path", "demo/sub/app")
        .containsEntry("namespace_path", "demo/sub")
        .containsEntry("project_id", CiJobClaims.derivedId("demo/sub/app"))
        .containsEntry("ref", "main")
        .containsEntry("ref_type", "branch")
        .containsEntry("ref_path", "refs/heads/main")
        .containsEntry("ref_protected", "true")
        .containsEntry("pipeline_source", "push")
        .containsEntry("user_login", "alice");
  }

  @ParameterizedTest
  @CsvSource({
    "ref=feature, false, project_path:demo/app:ref_type:branch:ref:feature",
    "ref=v1&ref_type=tag, false, project_path:demo/app:ref_type:tag:ref:v1",
    "ref=feature&ref_protected=true, true, project_path:demo/app:ref_type:branch:ref:feature",
  })
  void onlyMainIsProtectedUnlessTheJobSaysSo(String extra, String protectedRef, String subject)
      throws Exception {
    JWTClaimsSet c = gitlab("project_path=demo/app&aud=stint&" + extra);
    assertThat(c.getStringClaim("ref_protected")).isEqualTo(protectedRef);
    assertThat(c.getSubject()).isEqualTo(subject);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/dev/github-token?ref=refs/heads/main | repository is required",
        "/dev/github-token?repository=demo | repository must be OWNER/REPO",
        "/dev/github-token?repository=demo/app&ref=main | ref must be refs/heads/NAME",
        "/dev/github-token?repository=demo/app&repo_id=1 | unknown parameter repo_id",
        "/dev/gitlab-token?project_path=demo/app | aud is required",
        "/dev/gitlab-token?project_path=demo/app&aud=stint&ref=refs/heads/main | without refs/",
        "/dev/gitlab-token?project_path=demo/app&aud=stint&ref_protected=yes | true or false",
      })
  void aJobThePlatformWouldNeverDescribeIsRefusedWithTheReason(String path, String reason)
      throws Exception {
    HttpResponse<String> answer = get(issuer.uri() + path);
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).contains(reason);
  }

  @Test
  void githubsTokenEndpointAnswersTheRequestTokenWithTheTokenInValue() throws Exception {
    String requestToken = get(issuer.uri() + "/dev/actions-request-token").body().strip();
    URI url =
        URI.create(
            issuer.uri()
                + "/dev/actions-id-token?repository=demo/app&ref=refs/heads/main&audience=stint");
    HttpResponse<String> answer = getWith(url, "bearer " + requestToken);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    SignedJWT jwt = SignedJWT.parse(json(answer).path("value").asText());
    assertThat(verifies(jwt, issuer.githubIssuer())).isTrue();
    assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("stint");
    assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("repo:demo/app:ref:refs/heads/main");

    for (String wrong : new String[] {null, "Bearer not-the-request-token", requestToken}) {
      HttpResponse<String> refused = getWith(url, wrong);
      assertThat(refused.statusCode()).as(String.valueOf(wrong)).isEqualTo(401);
      assertThat(refused.body()).doesNotContain("eyJ");
    }
  }

  @Test
  void aFormOrScriptOfAnotherSiteCannotMint() throws Exception {
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(issuer.uri() + "/dev/github-token?repository=demo/app"))
                .header("Origin", "https://attacker.example")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.body()).doesNotContain("eyJ");
  }

  /**
   * A name rebound to 127.0.0.1 reaches the issuer with its own Host: refused, so no page of that
   * site can read a token. The Java client will not send another Host: a socket.
   */
  @Test
  void anotherHostIsRefusedButDiscoveryStaysPublic() throws Exception {
    assertThat(rawGet("/dev/gitlab-token?project_path=demo/app&aud=stint", "rebound.example"))
        .startsWith("HTTP/1.1 421")
        .doesNotContain("eyJ");
    assertThat(rawGet("/dev/actions-request-token", "rebound.example")).startsWith("HTTP/1.1 421");
    assertThat(rawGet("/gitlab/.well-known/openid-configuration", "rebound.example"))
        .startsWith("HTTP/1.1 200");
  }

  @Test
  void aQueryThatDoesNotDecodeIsRefused() throws Exception {
    assertThat(rawGet("/dev/github-token?repository=demo%zz", "127.0.0.1"))
        .startsWith("HTTP/1.1 400")
        .doesNotContain("eyJ");
  }

  @Test
  void onlyGetIsAnswered() throws Exception {
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(URI.create(issuer.uri() + "/dev/actions-request-token"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(405);
  }

  private static JWTClaimsSet github(String query) throws Exception {
    return claims("/dev/github-token?" + query);
  }

  private static JWTClaimsSet gitlab(String query) throws Exception {
    return claims("/dev/gitlab-token?" + query);
  }

  private static JWTClaimsSet claims(String path) throws Exception {
    HttpResponse<String> answer = get(issuer.uri() + path);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return SignedJWT.parse(answer.body().strip()).getJWTClaimsSet();
  }

  private static boolean verifies(SignedJWT jwt, URI iss) throws Exception {
    RSAKey key = keysOf(iss).getKeys().get(0).toRSAKey();
    return key.getKeyID().equals(jwt.getHeader().getKeyID()) && jwt.verify(new RSASSAVerifier(key));
  }

  private static JWKSet keysOf(URI iss) throws Exception {
    String jwksUri = json(get(iss + "/.well-known/openid-configuration")).path("jwks_uri").asText();
    return JWKSet.parse(get(jwksUri).body());
  }

  private static HttpResponse<String> get(String uri) throws Exception {
    return getWith(URI.create(uri), null);
  }

  private static HttpResponse<String> getWith(URI uri, String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> answer) throws Exception {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return JSON.readTree(answer.body());
  }

  private static String rawGet(String path, String host) throws Exception {
    return RawHttp.get(issuer.uri().getPort(), path, host);
  }
}
