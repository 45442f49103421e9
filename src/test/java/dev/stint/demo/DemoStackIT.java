package dev.stint.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.cli.CliException;
import dev.stint.testing.CliRun;
import dev.stint.testing.Eventually;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The walkthrough's CLI steps against the real demo stack: tokens from the dev IdP, a request by
 * alice approved by bob and carol, credentials from the STS stand-in, a console link that opens the
 * sign-in stand-in's page, a revocation that reaches the IAM stand-in, carol's audit, and a
 * narrowed grant whose keys S3 refuses outside its bucket.
 */
class DemoStackIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  static DemoStack stack;
  static Path workDir;
  @TempDir static Path home;

  @BeforeAll
  static void start() throws Exception {
    stack = DemoStack.start(Path.of("policies", "demo"), 0, DemoCommandProvider::server);
    workDir = stack.workDir();
  }

  @AfterAll
  static void stop() {
    stack.close();
    assertThat(Files.exists(workDir)).as("the demo deletes its directory").isFalse();
  }

  @Test
  void everythingListensOnLoopbackAndTheWalkthroughNamesIt() {
    for (URI uri :
        new URI[] {
          stack.url(),
          stack.idp().issuer(),
          stack.ciIssuer().uri(),
          stack.standIns().sts().uri(),
          stack.standIns().iam().uri(),
          stack.standIns().s3().uri(),
          stack.standIns().signin().uri(),
          stack.standIns().slack().uri()
        }) {
      assertThat(uri.getHost()).isEqualTo("127.0.0.1");
    }
    String text = DemoWalkthrough.text(stack);
    assertThat(text)
        .contains("DEVELOPMENT ONLY")
        .contains(stack.url() + "/ui")
        .contains("STINT_SERVER=" + stack.url())
        .contains(stack.idp().issuer() + "/dev/token?user=alice")
        .contains("bin/stint credentials demo-admin")
        .contains(
            "AWS_PROFILE=demo-admin aws sts get-caller-identity --endpoint-url "
                + stack.standIns().sts().uri())
        .contains(
            "aws s3 ls s3://stint-demo --region us-east-1 --endpoint-url "
                + stack.standIns().s3().uri())
        .contains("bin/stint request demo-bucket-read --param bucket=stint-demo --duration 30m")
        .contains(
            "demo-bucket-read.stint-demo (stint credentials demo-bucket-read --param"
                + " bucket=stint-demo)")
        .contains(
            "aws s3 ls s3://stint-demo-archive --profile demo-bucket-read.stint-demo --region"
                + " us-east-1"
                + " --endpoint-url "
                + stack.standIns().s3().uri()
                + "   # AccessDenied");
  }

  /**
   * The walkthrough's narrowed grant through the API: the request names a bucket, bob sees it and
   * the session policy it fills, and the keys minted for it read that bucket, while S3 refuses them
   * the other, which the same profile's grant for that bucket reads: the role reads both, and only
   * the session policy tells them apart.
   */
  @Test
  void aNarrowedGrantReadsItsBucketAndIsRefusedTheOther() throws Exception {
    try (S3Client demo = narrowedKeys("stint-demo")) {
      assertThat(listed(demo, "stint-demo")).containsExactly("hello.txt", "reports/on-call.csv");
      assertThat(demo.getObjectAsBytes(b -> b.bucket("stint-demo").key("hello.txt")).asUtf8String())
          .startsWith("Read with a stint grant.");
      accessDenied(() -> demo.listObjectsV2(b -> b.bucket("stint-demo-archive")));
      accessDenied(() -> demo.getObject(b -> b.bucket("stint-demo-archive").key("README.txt")));
      JsonNode other = api("alice", "/v1/credentials", credentialsBody("stint-demo-archive"));
      assertThat(other.path("code").asText()).as(other.toString()).isEqualTo("approval_required");
    }
    try (S3Client archive = narrowedKeys("stint-demo-archive")) {
      assertThat(listed(archive, "stint-demo-archive"))
          .containsExactly("README.txt", "reports/2025.csv");
      accessDenied(() -> archive.listObjectsV2(b -> b.bucket("stint-demo")));
    }
  }

  /**
   * alice's request of demo-bucket-read for {@code bucket}, approved by bob once he has seen the
   * bucket and the statements it fills, and an S3 client with the keys stint then mints for it.
   */
  private static S3Client narrowedKeys(String bucket) throws Exception {
    ObjectNode request =
        JSON.createObjectNode()
            .put("profile", "demo-bucket-read")
            .put("duration_seconds", 1800)
            .put("reason", "narrowed");
    request.putObject("parameters").put("bucket", bucket);
    String id = api("alice", "/v1/requests", request).path("id").asText();
    JsonNode seen = send("bob", HttpRequest.newBuilder(stack.url().resolve("/v1/requests/" + id)));
    assertThat(seen.path("state").asText()).as(seen.toString()).isEqualTo("pending");
    assertThat(seen.path("parameters").path("bucket").asText()).isEqualTo(bucket);
    assertThat(seen.path("narrowed_policy").findValues("Resource").toString())
        .isEqualTo("[[\"arn:aws:s3:::" + bucket + "\",\"arn:aws:s3:::" + bucket + "/*\"]]");
    JsonNode approved = api("bob", "/v1/requests/" + id + "/approve", JSON.createObjectNode());
    assertThat(approved.path("state").asText()).as(approved.toString()).isEqualTo("active");
    JsonNode keys = api("alice", "/v1/credentials", credentialsBody(bucket));
    assertThat(keys.path("access_key_id").asText()).as(keys.toString()).startsWith("ASIA");
    return S3Client.builder()
        .endpointOverride(stack.standIns().s3().uri())
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsSessionCredentials.create(
                    keys.path("access_key_id").asText(),
                    keys.path("secret_access_key").asText(),
                    keys.path("session_token").asText())))
        .httpClientBuilder(Apache5HttpClient.builder())
        .build();
  }

  private static ObjectNode credentialsBody(String bucket) {
    ObjectNode body = JSON.createObjectNode().put("profile", "demo-bucket-read");
    body.putObject("parameters").put("bucket", bucket);
    return body;
  }

  private static List<String> listed(S3Client s3, String bucket) {
    return s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
  }

  private static void accessDenied(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(403);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            });
  }

  /** {@code body} posted to {@code path} with {@code user}'s token: the answer, whatever status. */
  private static JsonNode api(String user, String path, ObjectNode body) throws Exception {
    return send(
        user,
        HttpRequest.newBuilder(stack.url().resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  private static JsonNode send(String user, HttpRequest.Builder request) throws Exception {
    String token = stack.idp().cliToken(user).orElseThrow();
    HttpResponse<String> answer =
        HTTP.send(
            request.header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(answer.body());
  }

  /**
   * The tour's AWS CLI call, made with the credentials stint handed out, is logged by the demo's
   * CloudTrail and found by stint's lookups: it shows as the request's activity.
   */
  @Test
  void aCallMadeWithTheCredentialsShowsAsTheRequestsActivity() throws Exception {
    String request =
        cli("alice", "request", "demo-admin", "--duration", "30m", "--reason", "activity");
    Matcher id = Pattern.compile("req_[a-z0-9]+").matcher(request);
    assertThat(id.find()).as(request).isTrue();
    cli("bob", "approve", id.group());
    cli("carol", "approve", id.group());
    JsonNode creds = new ObjectMapper().readTree(cli("alice", "credentials", "demo-admin"));
    try (StsClient sts =
        StsClient.builder()
            .endpointOverride(stack.standIns().sts().uri())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsSessionCredentials.create(
                        creds.path("AccessKeyId").asText(),
                        creds.path("SecretAccessKey").asText(),
                        creds.path("SessionToken").asText())))
            .httpClient(Apache5HttpClient.create())
            .build()) {
      assertThat(sts.getCallerIdentity().arn()).contains("assumed-role/demo-admin");
    }
    String token = stack.idp().cliToken("alice").orElseThrow();
    // One client for every poll: a new one each time leaves its connection open, and while the
    // activity takes a minute to show, the polls filled the server's connection limit.
    HttpClient polls = HttpClient.newHttpClient();
    Eventually.until(
        "the call shows as activity",
        Duration.ofSeconds(150),
        () ->
            polls
                .send(
                    HttpRequest.newBuilder(
                            stack.url().resolve("/v1/requests/" + id.group() + "/activity"))
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body()
                .contains("\"event_name\":\"GetCallerIdentity\""));
  }

  @Test
  void theWalkthroughFromRequestToAudit() throws Exception {
    String request =
        cli("alice", "request", "demo-admin", "--duration", "30m", "--reason", "trying stint");
    Matcher id = Pattern.compile("req_[a-z0-9]+").matcher(request);
    assertThat(id.find()).as(request).isTrue();

    CliRun self = run("alice", "approve", id.group());
    assertThat(self.exitCode()).as(self.err()).isEqualTo(CliException.REFUSED);
    assertThat(self.err())
        .startsWith("stint: you cannot approve your own request (forbidden, trace ");
    assertThat(cli("bob", "approve", id.group())).contains("1/2");
    assertThat(cli("carol", "approve", id.group())).contains("active");

    String creds = cli("alice", "credentials", "demo-admin");
    assertThat(stack.standIns().sts().issued())
        .anySatisfy(i -> assertThat(creds).contains(i.accessKeyId()));

    String link = cli("alice", "console", "demo-admin").strip();
    assertThat(link).startsWith(stack.standIns().signin().uri() + "/federation?Action=login");
    HttpResponse<String> console =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(link)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(console.body()).contains(SigninStandIn.CONSOLE_TITLE);

    assertThat(cli("alice", "revoke", id.group(), "--yes")).contains("revoked");
    String audit = awaitAudit("grant.revocation_applied");
    assertThat(audit)
        .contains(
            "request.created",
            "request.approved",
            "credential.issued",
            "console.issued",
            "grant.revoked");
    assertThat(stack.standIns().iam().policy("demo-admin", "stint-revocations")).isPresent();

    CliRun notAuditor = run("alice", "audit", "export", "--since", "1h", "--format", "jsonl");
    assertThat(notAuditor.exitCode()).as("alice is no auditor").isEqualTo(CliException.REFUSED);
    assertThat(notAuditor.err())
        .startsWith("stint: reading the audit needs the auditor role (forbidden, trace ");
  }

  /**
   * The demo's Slack page shows the request message with its buttons; bob, whom stint has seen with
   * a verified email, approves from it, and the message is updated in place.
   */
  @Test
  void approvingFromTheDemoSlackPage() throws Exception {
    cli("bob", "whoami");
    String request =
        cli("alice", "request", "demo-admin", "--duration", "30m", "--reason", "from chat");
    Matcher id = Pattern.compile("req_[a-z0-9]+").matcher(request);
    assertThat(id.find()).as(request).isTrue();
    HttpClient http = HttpClient.newHttpClient();
    URI page = URI.create(stack.standIns().slack().uri() + "/?as=U0BOB");
    String before =
        Eventually.get(
            "the message on the page",
            Duration.ofSeconds(20),
            () ->
                Optional.of(
                        http.send(
                                HttpRequest.newBuilder(page).GET().build(),
                                HttpResponse.BodyHandlers.ofString())
                            .body())
                    .filter(b -> b.contains(id.group())));
    assertThat(before)
        .contains(SlackStandIn.TITLE, "value=\"" + id.group() + "\"", "Approve", "0 of 2");

    HttpResponse<String> clicked =
        http.send(
            HttpRequest.newBuilder(URI.create(stack.standIns().slack().uri() + "/click"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        HttpForms.encode(
                            Map.of(
                                "as",
                                "U0BOB",
                                "channel",
                                SlackStandIn.CHANNEL,
                                "action_id",
                                "stint.approve",
                                "value",
                                id.group()))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(clicked.statusCode()).isEqualTo(200);
    assertThat(cli("alice", "requests", "--mine")).containsPattern(id.group() + ".*1/2");
    Eventually.until(
        "the message says 1 of 2",
        Duration.ofSeconds(20),
        () ->
            http.send(
                    HttpRequest.newBuilder(page).GET().build(),
                    HttpResponse.BodyHandlers.ofString())
                .body()
                .contains("1 of 2"));
  }

  /**
   * Revocation reaches IAM asynchronously; its audit event says when it has. The wait matches the
   * event's type field: other events' notes may name the event too.
   */
  private static String awaitAudit(String event) throws Exception {
    return Eventually.get(
        event,
        Duration.ofSeconds(10),
        () ->
            Optional.of(cli("carol", "audit", "export", "--since", "1h", "--format", "jsonl"))
                .filter(audit -> audit.contains("\"type\":\"" + event + "\"")));
  }

  private static String cli(String user, String... args) {
    CliRun run = run(user, args);
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run.out();
  }

  private static CliRun run(String user, String... args) {
    String token = stack.idp().cliToken(user).orElseThrow();
    return CliRun.run(
        home, Map.of("STINT_SERVER", stack.url().toString(), "STINT_TOKEN", token), args);
  }
}
