package dev.stint.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditTables;
import dev.stint.testing.CliRun;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeAwsEndpoint.Call;
import dev.stint.testing.FakeSts;
import dev.stint.testing.Patience;
import dev.stint.testing.StintAwsKeys;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CI tokens (GitHub Actions-shaped, from a real IdP) exchanged under CI rules. */
class ExchangeEndToEndIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static FakeSts sts;
  static TestIdp corp;
  static TestIdp github;
  static DatabaseUrl db;
  static TestServer server;

  @BeforeAll
  static void start() {
    StintAwsKeys.use();
    sts = new FakeSts();
    corp = new TestIdp("corp");
    github = new TestIdp("github");
    db = TestPostgres.migratedDatabase();
    String policy =
        "issuers:\n"
            + corp.issuerYaml("corp")
            + github.issuerYaml("github")
            + "login: {issuer: corp, client_id: stint}\n"
            + "profiles:\n"
            + "  deploy:\n"
            + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/deploy\", mode: web_identity,"
            + " region: eu-west-1}\n"
            + "    max_duration: 1h\n"
            + "    requesters: 'false'\n"
            + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n"
            + "  deploy-vpc:\n"
            + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/deploy-vpc\", mode: web_identity}\n"
            + "    max_duration: 1h\n"
            + "    requesters: 'false'\n"
            + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n"
            + "    source_cidrs: [10.0.0.0/8]\n"
            + "ci:\n"
            + "  vpc-now:\n"
            + "    issuer: github\n"
            + "    profile: deploy-vpc\n"
            + "    when: 'claims.repository == \"acme/vpc\"'\n"
            + "    max_duration: 15m\n"
            + "    approval: none\n"
            + "  vpc-approved:\n"
            + "    issuer: github\n"
            + "    profile: deploy-vpc\n"
            + "    when: 'claims.repository == \"acme/vpc-gated\"'\n"
            + "    max_duration: 15m\n"
            + "    approval: required\n"
            + "  api-main:\n"
            + "    issuer: github\n"
            + "    profile: deploy\n"
            + "    when: 'claims.repository == \"acme/api\" && claims.ref == \"refs/heads/main\""
            + " && claims.environment == \"prod\"'\n"
            + "    max_duration: 30m\n"
            + "    approval: none\n"
            + "  infra-main:\n"
            + "    issuer: github\n"
            + "    profile: deploy\n"
            + "    when: 'claims.repository == \"acme/infra\" && claims.ref == \"refs/heads/main\"'\n"
            + "    max_duration: 15m\n"
            + "    approval: required\n";
    server =
        TestServer.start(
            db,
            Map.of("STINT_AWS_STS_ENDPOINT", sts.uri().toString(), "STINT_AWS_REGION", "us-east-1"),
            policy);
    // The account's OIDC provider for stint's issuer, as an operator sets up web_identity.
    sts.trust(server.awsProvider());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    corp.close();
    github.close();
    sts.close();
    StintAwsKeys.clear();
  }

  record Answer(int status, JsonNode body) {}

  static Answer post(String token, String path, String body) {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri(path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    try {
      return new Answer(r.statusCode(), JSON.readTree(r.body()));
    } catch (IOException e) {
      throw new AssertionError(r.body(), e);
    }
  }

  static String ciToken(String repository, String ref) {
    return ciToken(repository, ref, "prod");
  }

  static String ciToken(String repository, String ref, String environment) {
    return github.tokenWithClaims(
        "repo:" + repository + ":ref:" + ref,
        Map.of(
            "repository",
            repository,
            "ref",
            ref,
            "environment",
            environment,
            "job_workflow_ref",
            repository + "/.github/workflows/deploy.yml@" + ref));
  }

  static final String DEPLOY = "{\"profile\":\"deploy\"}";

  @Test
  void aJobOutsideTheProfilesNetworksGetsNoCredentialAndNoRequest() throws Exception {
    for (String repository : new String[] {"acme/vpc", "acme/vpc-gated"}) {
      Answer a =
          post(
              ciToken(repository, "refs/heads/main"),
              "/v1/exchange",
              "{\"profile\":\"deploy-vpc\"}");
      assertThat(a.status()).as(repository + " " + a.body()).isEqualTo(403);
      assertThat(a.body().get("detail").asText())
          .isEqualTo(
              "your address 127.0.0.1 is outside"
                  + " the networks profile 'deploy-vpc' allows (source_cidrs)");
    }
    assertThat(sts.calls())
        .noneMatch(c -> String.valueOf(c.param("RoleArn")).endsWith("/deploy-vpc"));
    assertThat(
            AuditTables.count(
                db,
                "type = 'credential.denied' AND profile = 'deploy-vpc'"
                    + " AND client_address = '127.0.0.1'"))
        .isEqualTo(2);
    assertThat(AuditTables.count(db, "type = 'request.created' AND profile = 'deploy-vpc'"))
        .as("no request waits for approval of credentials the job could not use")
        .isZero();
  }

  /**
   * GitHub Actions' ID token endpoint as a job sees it: the request token as bearer, the audience
   * as a query parameter, the token in {@code value}.
   */
  static HttpServer githubTokenEndpoint(Vertx vertx, String repository) throws Exception {
    return vertx
        .createHttpServer()
        .requestHandler(
            req -> {
              boolean ok =
                  "Bearer gh-request-token".equals(req.getHeader("Authorization"))
                      && "stint".equals(req.getParam("audience"));
              req.response()
                  .setStatusCode(ok ? 200 : 401)
                  .putHeader("Content-Type", "application/json")
                  .end(
                      ok
                          ? new JsonObject()
                              .put("value", ciToken(repository, "refs/heads/main"))
                              .encode()
                          : "{}");
            })
        .listen(0, "127.0.0.1")
        .await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  @Test
  void theCliFetchesTheGithubTokenItselfAndPrintsCredentials(@TempDir Path home) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer gh = githubTokenEndpoint(vertx, "acme/api");
      Map<String, String> env =
          Map.of(
              "STINT_SERVER",
              server.uri("/").toString(),
              "ACTIONS_ID_TOKEN_REQUEST_URL",
              "http://127.0.0.1:" + gh.actualPort() + "/token?api=1",
              "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
              "gh-request-token");
      CliRun envFormat = CliRun.run(home, env, "exchange", "deploy");
      assertThat(envFormat.exitCode()).as(envFormat.err()).isZero();
      assertThat(envFormat.out())
          .contains("export AWS_ACCESS_KEY_ID='ASIA")
          .contains("export AWS_SECRET_ACCESS_KEY='")
          .contains("export AWS_SESSION_TOKEN='")
          .as("the profile's region, for the job's aws calls")
          .contains("export AWS_REGION='eu-west-1'\nexport AWS_DEFAULT_REGION='eu-west-1'\n");
      CliRun asJson = CliRun.run(home, env, "exchange", "deploy", "--format", "json");
      assertThat(JSON.readTree(asJson.out()).path("region").asText()).isEqualTo("eu-west-1");
      CliRun process =
          CliRun.run(home, env, "exchange", "deploy", "--format", "credential-process");
      JsonNode json = JSON.readTree(process.out());
      assertThat(json.get("Version").asInt()).isEqualTo(1);
      assertThat(json.get("AccessKeyId").asText()).startsWith("ASIA");
      assertThat(json.has("region")).as("credential_process names no region").isFalse();
    } finally {
      vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    }
  }

  @Test
  void theCliWaitsForApprovalWhenTheRuleNeedsIt(@TempDir Path home) throws Exception {
    Path tokenFile = home.resolve("infra-token");
    Files.writeString(
        tokenFile,
        github.tokenWithClaims(
            "repo:acme/infra:ref:refs/heads/main:run:2",
            Map.of("repository", "acme/infra", "ref", "refs/heads/main")));
    Map<String, String> env = Map.of("STINT_SERVER", server.uri("/").toString());
    CompletableFuture<CliRun> waiting =
        CompletableFuture.supplyAsync(
            () ->
                CliRun.run(
                    home,
                    env,
                    "exchange",
                    "deploy",
                    "--token-file",
                    tokenFile.toString(),
                    "--wait",
                    "--interval",
                    "1s",
                    "--format",
                    "json"));
    String id =
        Eventually.get(
            "the waiting job's request",
            Duration.ofSeconds(10),
            () ->
                AuditTables.strings(
                        db,
                        "SELECT id FROM access_requests WHERE requester_subject ="
                            + " 'repo:acme/infra:ref:refs/heads/main:run:2'")
                    .stream()
                    .findFirst());
    assertThat(post(corp.token("carol", "sre"), "/v1/requests/" + id + "/approve", "{}").status())
        .isEqualTo(200);
    CliRun done = waiting.get(Patience.seconds(60), TimeUnit.MILLISECONDS);
    assertThat(done.exitCode()).as(done.err()).isZero();
    assertThat(done.err()).contains("approval required: request " + id);
    assertThat(JSON.readTree(done.out()).get("cloud").asText()).isEqualTo("aws");
  }

  @Test
  void theCliReportsATokenNoRuleMatches(@TempDir Path home) throws Exception {
    Path tokenFile = home.resolve("ci-token");
    Files.writeString(tokenFile, ciToken("acme/infra", "refs/heads/release"));
    // No rule matches release branches of acme/infra: a clear refusal, exit 3.
    CliRun refused =
        CliRun.run(
            home,
            Map.of("STINT_SERVER", server.uri("/").toString()),
            "exchange",
            "deploy",
            "--token-file",
            tokenFile.toString());
    assertThat(refused.exitCode()).isEqualTo(3);
    assertThat(refused.err()).contains("no CI rule allows this token");
  }

  @Test
  void aMatchingRuleMintsThroughWebIdentityOnce() throws Exception {
    String token = ciToken("acme/api", "refs/heads/main");
    assertThat(SignedJWT.parse(token).getJWTClaimsSet().getJWTID()).isNotBlank();
    Answer a = post(token, "/v1/exchange", DEPLOY);
    assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
    // A rule that mints without approval has no grant: nothing pretends to be one.
    assertThat(a.body().has("grant_id")).isFalse();
    assertThat(a.body().get("ci_rule").asText()).isEqualTo("api-main");
    assertThat(
            AuditTables.strings(
                db,
                "SELECT coalesce(grant_id, '-') || ' ' || (details->>"
                    + "'ci_rule') FROM audit_events WHERE type = 'credential.issued' AND actor_subject ="
                    + " 'repo:acme/api:ref:refs/heads/main'"))
        .isNotEmpty()
        .containsOnly("- api-main");
    Call call =
        sts.calls().stream()
            .filter(c -> "AssumeRoleWithWebIdentity".equals(c.param("Action")))
            .findFirst()
            .orElseThrow();
    assertThat(call.param("RoleArn")).isEqualTo("arn:aws:iam::111122223333:role/deploy");
    assertThat(Long.parseLong(call.param("DurationSeconds"))).isBetween(1790L, 1800L);
    SignedJWT stintToken = SignedJWT.parse(call.param("WebIdentityToken"));
    assertThat(stintToken.getJWTClaimsSet().getAudience()).containsExactly("sts.amazonaws.com");
    assertThat(stintToken.getJWTClaimsSet().getClaim("grant_id")).isNull();
    assertThat(stintToken.getJWTClaimsSet().getStringClaim("ci_rule")).isEqualTo("api-main");
    assertThat(
            stintToken
                .getJWTClaimsSet()
                .getJSONObjectClaim("https://aws.amazon.com/tags")
                .get("principal_tags")
                .toString())
        .contains("stint:grant=[ci:api-main]");

    Answer replay = post(token, "/v1/exchange", DEPLOY);
    assertThat(replay.status()).isEqualTo(403);
    assertThat(replay.body().get("detail").asText()).contains("already been exchanged");
    assertThat(AuditTables.count(db, "type = 'credential.denied' AND reason LIKE 'replayed jti%'"))
        .isEqualTo(1);
  }

  @Test
  void tokensThatNoRuleMatchesAreRefused() throws Exception {
    Answer wrongRepo = post(ciToken("acme/other", "refs/heads/main"), "/v1/exchange", DEPLOY);
    assertThat(wrongRepo.status()).isEqualTo(403);
    assertThat(wrongRepo.body().get("detail").asText())
        .isEqualTo("no CI rule allows this token to exchange for profile 'deploy'");
    Answer wrongRef = post(ciToken("acme/api", "refs/heads/feature"), "/v1/exchange", DEPLOY);
    assertThat(wrongRef.status()).isEqualTo(403);
    Answer wrongEnvironment =
        post(ciToken("acme/api", "refs/heads/main", "staging"), "/v1/exchange", DEPLOY);
    assertThat(wrongEnvironment.status()).isEqualTo(403);
    Answer person = post(corp.token("alice", "sre"), "/v1/exchange", DEPLOY);
    assertThat(person.status()).isEqualTo(403);
    assertThat(
            AuditTables.strings(
                db,
                "SELECT reason FROM audit_events WHERE type ="
                    + " 'credential.denied' AND actor_subject = 'repo:acme/other:ref:refs/heads/main'"))
        .singleElement()
        .asString()
        .contains("does not match");
  }

  @Test
  void anApprovalRequiredRuleWaitsForAPersonThenMints() {
    Answer first = post(ciToken("acme/infra", "refs/heads/main"), "/v1/exchange", DEPLOY);
    assertThat(first.status()).as(first.body().toString()).isEqualTo(202);
    String id = first.body().get("request").get("id").asText();
    assertThat(first.body().get("request").get("duration_seconds").asLong()).isEqualTo(900);

    Answer again = post(ciToken("acme/infra", "refs/heads/main"), "/v1/exchange", DEPLOY);
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.body().get("request").get("id").asText()).isEqualTo(id);

    Answer approved = post(corp.token("bob", "sre"), "/v1/requests/" + id + "/approve", "{}");
    assertThat(approved.body().get("state").asText()).isEqualTo("active");
    Answer minted = post(ciToken("acme/infra", "refs/heads/main"), "/v1/exchange", DEPLOY);
    assertThat(minted.status()).as(minted.body().toString()).isEqualTo(200);
    assertThat(minted.body().get("grant_id").asText()).startsWith("grt_");
  }
}
