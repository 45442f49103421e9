package dev.stint.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.testing.CliRun;
import dev.stint.testing.Eventually;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

/**
 * The demo's S3 reads reach stint as a trail's data events pushed by EventBridge would: before the
 * first, a grant with no call seen is not called unused (the demo account's data events have not
 * been pushed yet); after it, the reads show as the request's activity at once, and stint says it
 * sees data events.
 */
class DemoDataEventsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  static DemoStack stack;
  @TempDir static Path home;

  @BeforeAll
  static void start() throws Exception {
    stack = DemoStack.start(Path.of("policies", "demo"), 0, DemoCommandProvider::server);
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void theBucketsReadsShowAsTheGrantsActivityAndDataEventsAsSeen() throws Exception {
    String request =
        cli("alice", "request", "demo-admin", "--duration", "30m", "--reason", "read S3");
    Matcher id = Pattern.compile("req_[a-z0-9]+").matcher(request);
    assertThat(id.find()).as(request).isTrue();
    cli("bob", "approve", id.group());
    cli("carol", "approve", id.group());
    JsonNode keys = JSON.readTree(cli("alice", "credentials", "demo-admin"));

    JsonNode before = activity(id.group());
    assertThat(before.path("summary").path("calls").asLong()).isZero();
    assertThat(before.path("summary").path("unused").asBoolean())
        .as("no S3 data event has been pushed from the demo account yet")
        .isFalse();
    assertThat(before.path("visibility").path("unseen").toString())
        .isEqualTo("[\"data_events_not_pushed\"]");

    try (S3Client s3 = s3(keys)) {
      s3.listObjectsV2(b -> b.bucket(DemoBucket.NAME));
      s3.getObjectAsBytes(b -> b.bucket(DemoBucket.NAME).key("hello.txt"));
    }

    JsonNode after =
        Eventually.get(
            "the reads show as activity",
            Duration.ofSeconds(30),
            () -> {
              JsonNode a = activity(id.group());
              return names(a).containsAll(List.of("ListObjects", "GetObject"))
                  ? Optional.of(a)
                  : Optional.empty();
            });
    assertThat(after.path("summary").path("services").path("s3.amazonaws.com").asLong())
        .isEqualTo(2);
    assertThat(after.path("visibility").path("whole").asBoolean()).isTrue();
    assertThat(after.path("visibility").path("seen").toString())
        .isEqualTo("[\"management_calls\",\"data_events\"]");
    assertThat(cli("alice", "activity", id.group()))
        .contains(
            "visible: management calls are looked up in CloudTrail; data events are pushed by"
                + " EventBridge")
        .contains("GetObject");
    assertThat(stack.eventBridge().delivered()).isGreaterThanOrEqualTo(2);
  }

  private static List<String> names(JsonNode activity) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : activity.path("events")) {
      if (e.path("event_source").asText().equals("s3.amazonaws.com")) {
        out.add(e.path("event_name").asText());
      }
    }
    return out;
  }

  private static JsonNode activity(String id) throws Exception {
    String token = stack.idp().cliToken("alice").orElseThrow();
    HttpResponse<String> answer =
        HTTP.send(
            HttpRequest.newBuilder(stack.url().resolve("/v1/requests/" + id + "/activity"))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return JSON.readTree(answer.body());
  }

  private static S3Client s3(JsonNode keys) {
    return S3Client.builder()
        .endpointOverride(stack.standIns().s3().uri())
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsSessionCredentials.create(
                    keys.path("AccessKeyId").asText(),
                    keys.path("SecretAccessKey").asText(),
                    keys.path("SessionToken").asText())))
        .httpClientBuilder(Apache5HttpClient.builder())
        .build();
  }

  private static String cli(String user, String... args) {
    String token = stack.idp().cliToken(user).orElseThrow();
    CliRun run =
        CliRun.run(
            home, Map.of("STINT_SERVER", stack.url().toString(), "STINT_TOKEN", token), args);
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run.out();
  }
}
