package dev.stint.activity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.demo.CloudTrailStandIn;
import dev.stint.standin.CloudTrailEvent;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeSts;
import dev.stint.testing.ShiftedClock;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Activity per grant through a real server, the real AWS SDK (STS and CloudTrail) and a CloudTrail
 * stand-in that delivers late and throttles a third call in a second: the calls made with a grant's
 * credential show on its request once CloudTrail has them, each once however often they are read,
 * only to those who may see the request; when the grant has ended and its credential settled, the
 * summary goes into the audit as grant.activity, once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ActivityEndToEndIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String ACCOUNT = "111122223333";
  static final String STINT_KEY = "AKIASTINTE2ETEST0039";
  static final String STINT_SECRET = "stint-e2e-test-secret-not-real-0000000039";
  static final Duration WAIT = Duration.ofSeconds(40);

  /** How long after a credential's end its last lookup is (activity.settle). */
  static final Duration SETTLE = Duration.ofMinutes(15);

  static ShiftedClock clock;
  static FakeSts sts;
  static CloudTrailStandIn cloudTrail;
  static TestIdp idp;
  static TestServer server;
  static String request;
  static String key;

  static String policy(TestIdp idp) {
    return "issuers:\n"
        + idp.issuerYaml("corp")
        + "profiles:\n"
        + "  quick:\n"
        + "    aws: {role_arn: \"arn:aws:iam::"
        + ACCOUNT
        + ":role/prod\", mode: assume_role}\n"
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'false', auto_approve: 'true'}\n"
        + "auditors: 'principal.groups.exists(g, g == \"security\")'\n";
  }

  @BeforeAll
  static void start() throws Exception {
    System.setProperty("aws.accessKeyId", STINT_KEY);
    System.setProperty("aws.secretAccessKey", STINT_SECRET);
    clock = new ShiftedClock();
    sts = new FakeSts();
    cloudTrail =
        new CloudTrailStandIn(clock, CloudTrailStandIn.TYPICAL_DELIVERY)
            .allow(STINT_KEY, STINT_SECRET, ACCOUNT);
    idp = new TestIdp("corp");
    Map<String, String> env = new HashMap<>();
    env.put("STINT_AWS_STS_ENDPOINT", sts.uri().toString());
    env.put("STINT_AWS_REGION", "eu-west-1");
    env.put("STINT_AWS_CLOUDTRAIL_ENDPOINT", cloudTrail.uri().toString());
    env.put("STINT_ACTIVITY_REGIONS", "eu-west-1,us-east-1");
    env.put("STINT_ACTIVITY_SETTLE", SETTLE.toMinutes() + "m");
    // Azure's reader configured beside AWS: the server boots with it, and an AWS grant's activity
    // is unchanged (its only source is still CloudTrail's).
    env.put("STINT_AZURE_ACTIVITY_TENANT_ID", "11111111-2222-3333-4444-555555555555");
    env.put("STINT_AZURE_ACTIVITY_CLIENT_ID", "bbbbbbbb-cccc-dddd-eeee-ffffffffffff");
    env.put("STINT_AZURE_ACTIVITY_SUBSCRIPTIONS", "00000000-1111-2222-3333-444444444444");
    env.put("STINT_AZURE_MANAGEMENT_ENDPOINT", "http://127.0.0.1:9");
    server = TestServer.start(TestPostgres.migratedDatabase(), env, policy(idp), clock);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
    cloudTrail.close();
    sts.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  static JsonNode post(String token, String path, String body) throws Exception {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri(path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
    return JSON.readTree(r.body());
  }

  static JsonNode activity(String user) throws Exception {
    return activity(request, user);
  }

  static JsonNode activity(String requestId, String user) throws Exception {
    HttpResponse<String> r =
        server.get("/v1/requests/" + requestId + "/activity", idp.dayToken(user, "eng"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /** When the request's credentials were last looked up, once they have been. */
  static Optional<Instant> checkedAt(String requestId) throws Exception {
    JsonNode checked = activity(requestId, "alice").path("sources").path(0).path("checked_at");
    return checked.isTextual() ? Optional.of(Instant.parse(checked.asText())) : Optional.empty();
  }

  /** The grant.activity records, as an auditor reads them. */
  static String grantActivity() {
    return server.get("/v1/audit?type=grant.activity", idp.dayToken("sam", "security")).body();
  }

  /** How many of the grant.activity records are {@code requestId}'s. */
  static int summariesOf(String requestId) {
    return grantActivity().split(requestId, -1).length - 1;
  }

  /**
   * Bob's grant of {@code seconds}, from now, handing out nothing: its summary is due at its end
   * and recorded in a round then. The rounds take the requests due oldest first, so once it is
   * recorded, every request due before its end has been looked at too: a marker that a round has
   * passed, after which an absence can be asserted.
   */
  static String marker(int seconds) throws Exception {
    return post(
            idp.dayToken("bob", "eng"),
            "/v1/requests",
            "{\"profile\":\"quick\",\"duration_seconds\":"
                + seconds
                + ",\"reason\":\"INC-MARKER\"}")
        .get("id")
        .asText();
  }

  static void call(String source, String name, String region, String error, Duration after) {
    CloudTrailEvent.Builder e =
        CloudTrailEvent.builder(source, name)
            .time(clock.instant().plus(after))
            .region(region)
            .accessKeyId(key)
            .sourceIp("198.51.100.7")
            .assumedRole("prod", "alice");
    if (error != null) {
      e.errorCode(error);
    }
    cloudTrail.record(ACCOUNT, e.build());
  }

  @Test
  @Order(1)
  void callsShowOnTheRequestOnceCloudTrailHasThemAndCountOnce() throws Exception {
    request =
        post(
                idp.dayToken("alice", "eng"),
                "/v1/requests",
                "{\"profile\":\"quick\",\"duration_seconds\":1800,\"reason\":\"INC-39\"}")
            .get("id")
            .asText();
    key =
        post(idp.dayToken("alice", "eng"), "/v1/credentials", "{\"profile\":\"quick\"}")
            .get("access_key_id")
            .asText();
    call("s3.amazonaws.com", "GetObject", "eu-west-1", null, Duration.ofMinutes(1));
    call("s3.amazonaws.com", "PutObject", "eu-west-1", "AccessDenied", Duration.ofMinutes(2));
    call("iam.amazonaws.com", "GetRole", "us-east-1", null, Duration.ofMinutes(3));
    // Another credential's call, and one in a region stint does not look in.
    cloudTrail.record(
        ACCOUNT,
        CloudTrailEvent.builder("s3.amazonaws.com", "GetObject")
            .time(clock.instant().plus(Duration.ofMinutes(1)))
            .region("eu-west-1")
            .accessKeyId("ASIAOTHERCREDENTIAL1")
            .build());
    call("ec2.amazonaws.com", "DescribeInstances", "ap-south-1", null, Duration.ofMinutes(1));
    assertThat(activity("alice").path("summary").path("calls").asLong()).isZero();
    clock.advance(Duration.ofMinutes(10));
    Eventually.until(
        "the three calls appear", WAIT, () -> activity("alice").path("events").size() == 3);
    clock.advance(Duration.ofMinutes(6));
    Instant looked = clock.instant();
    // The calls are kept page by page before the lookup is marked done: until then the source
    // has no checked_at yet.
    Eventually.until(
        "a second lookup",
        WAIT,
        () -> {
          JsonNode checked = activity("alice").path("sources").get(0).path("checked_at");
          return checked.isTextual() && Instant.parse(checked.asText()).isAfter(looked);
        });
    JsonNode a = activity("alice");
    assertThat(a.path("events")).hasSize(3);
    assertThat(a.path("sources").get(0).path("name").asText()).isEqualTo("cloudtrail_lookup");
    assertThat(a.path("summary").path("calls").asLong()).isEqualTo(3);
    assertThat(a.path("summary").path("errors").asLong()).isEqualTo(1);
    assertThat(a.path("summary").path("services").path("s3.amazonaws.com").asLong()).isEqualTo(2);
    assertThat(a.path("summary").path("unused").asBoolean()).isFalse();
    JsonNode newest = a.path("events").get(0);
    assertThat(newest.path("event_name").asText()).isEqualTo("GetRole");
    assertThat(newest.path("aws_region").asText()).isEqualTo("us-east-1");
    assertThat(newest.path("access_key_id").asText()).isEqualTo(key);
    assertThat(newest.path("source_ip").asText()).isEqualTo("198.51.100.7");
    assertThat(a.path("events").get(1).path("error_code").asText()).isEqualTo("AccessDenied");
    // Each lookup took its turn from the database; none found the turns too far ahead.
    assertThat(server.get("/metrics").body()).contains("stint_activity_lookups_put_off_total 0.0");
  }

  @Test
  @Order(2)
  void onlyThoseWhoMaySeeTheRequestSeeItsActivityAndABadCursorIsRefused() {
    assertThat(
            server
                .get("/v1/requests/" + request + "/activity", idp.dayToken("mallory", "eng"))
                .statusCode())
        .isEqualTo(404);
    assertThat(
            server
                .get(
                    "/v1/requests/" + request + "/activity?cursor=zzz",
                    idp.dayToken("alice", "eng"))
                .statusCode())
        .isEqualTo(400);
  }

  @Test
  @Order(2)
  void withoutTheIngestTokenTheIngestRouteDoesNotExist() {
    String event = "{\"detail\":{}}";
    HttpRequest.Builder push =
        HttpRequest.newBuilder(server.uri("/v1/ingest/cloudtrail"))
            .POST(HttpRequest.BodyPublishers.ofString(event));
    assertThat(server.send(push.header("Authorization", "Bearer guess").build()).statusCode())
        .isEqualTo(401);
    assertThat(
            server
                .send(
                    HttpRequest.newBuilder(server.uri("/v1/ingest/cloudtrail"))
                        .header("Authorization", "Bearer " + idp.dayToken("alice", "eng"))
                        .POST(HttpRequest.BodyPublishers.ofString(event))
                        .build())
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  @Order(3)
  void whenTheGrantHasEndedAndItsCredentialSettledTheSummaryIsAudited() throws Exception {
    clock.advance(Duration.ofHours(2));
    Eventually.until("grant.activity is recorded", WAIT, () -> grantActivity().contains(request));
    // Past every lease: were the request still awaiting its summary, it would be due now, before
    // the marker, which ends a quarter of an hour from now.
    String marker = marker(900);
    clock.advance(Duration.ofMinutes(30));
    Eventually.until(
        "a round after the clock moved (the marker's summary)",
        WAIT,
        () -> grantActivity().contains(marker));
    String audit = grantActivity();
    assertThat(summariesOf(request)).as(audit).isEqualTo(1);
    assertThat(audit).contains("\"calls\":3", "\"unused\":false", "iam.amazonaws.com");
  }

  /**
   * A grant that outlives its one credential: the credential settles long before the grant ends,
   * and the summary is still recorded once the grant has ended (not only when a credential
   * settles).
   */
  @Test
  @Order(4)
  void aGrantThatOutlivesItsCredentialsIsSummedUpWhenItEnds() throws Exception {
    String longer =
        post(
                idp.dayToken("alice", "eng"),
                "/v1/requests",
                "{\"profile\":\"quick\",\"duration_seconds\":3600,\"reason\":\"INC-40\"}")
            .get("id")
            .asText();
    Instant ends =
        Instant.parse(
            post(
                    idp.dayToken("alice", "eng"),
                    "/v1/credentials",
                    "{\"profile\":\"quick\",\"duration_seconds\":900}")
                .get("expiration")
                .asText());
    clock.advance(Duration.ofMinutes(31));
    // A lookup made once the credential has ended and settled is its last, and the round that
    // makes it then looks at the request, whose grant has not ended.
    Eventually.until(
        "the credential's last lookup",
        WAIT,
        () -> checkedAt(longer).map(t -> !t.isBefore(ends.plus(SETTLE))).orElse(false));
    // That round is over once a marker due after it is recorded; the grant still has minutes to
    // run then.
    String marker = marker(900);
    clock.advance(Duration.ofMinutes(16));
    Eventually.until(
        "a later round (the marker's summary)", WAIT, () -> grantActivity().contains(marker));
    assertThat(grantActivity()).as("the grant has not ended yet").doesNotContain(longer);
    clock.advance(Duration.ofMinutes(40));
    Eventually.until(
        "grant.activity is recorded once the grant has ended",
        WAIT,
        () -> grantActivity().contains(longer));
    assertThat(summariesOf(longer)).as(grantActivity()).isEqualTo(1);
  }
}
