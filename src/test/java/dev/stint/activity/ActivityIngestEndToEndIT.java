package dev.stint.activity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.config.DatabaseUrl;
import dev.stint.demo.CloudTrailStandIn;
import dev.stint.standin.CloudTrailEvent;
import dev.stint.testing.EventBridgeDeliveries;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeSts;
import dev.stint.testing.Patience;
import dev.stint.testing.ShiftedClock;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * POST /v1/ingest/cloudtrail through a real server: with the ingest token, an event made with a
 * request's credential shows on the request's activity, once however often it is delivered and
 * whether the lookups find it too; without the token (401), or with a body too large or not an
 * event (400), nothing is kept; a role of the policy assumed outside stint is audited as
 * role.assumed_outside and raises the alarm (the Slack webhook), and stint's own assumption (the
 * session it minted, in the ledger) does not.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ActivityIngestEndToEndIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TOKEN = "e2e-ingest-token-0123456789abcdef0123456789";
  static final String ROLE = "arn:aws:iam::" + ActivityEndToEndIT.ACCOUNT + ":role/prod";
  static final Duration WAIT = Duration.ofSeconds(40);
  static final List<String> slackPosts = new CopyOnWriteArrayList<>();
  static ShiftedClock clock;
  static FakeSts sts;
  static CloudTrailStandIn cloudTrail;
  static TestIdp idp;
  static Vertx vertx;
  static HttpServer slack;
  static DatabaseUrl database;
  static TestServer server;
  static String request;
  static String key;

  @BeforeAll
  static void start() throws Exception {
    System.setProperty("aws.accessKeyId", ActivityEndToEndIT.STINT_KEY);
    System.setProperty("aws.secretAccessKey", ActivityEndToEndIT.STINT_SECRET);
    clock = new ShiftedClock();
    sts = new FakeSts();
    cloudTrail =
        new CloudTrailStandIn(clock, CloudTrailStandIn.TYPICAL_DELIVERY)
            .allow(
                ActivityEndToEndIT.STINT_KEY,
                ActivityEndToEndIT.STINT_SECRET,
                ActivityEndToEndIT.ACCOUNT);
    idp = new TestIdp("corp");
    vertx = Vertx.vertx();
    slack =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            body -> {
                              slackPosts.add(body.toString());
                              req.response().setStatusCode(200).end("ok");
                            }))
            .listen(0, "127.0.0.1")
            .await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    Map<String, String> env = new HashMap<>();
    env.put("STINT_AWS_STS_ENDPOINT", sts.uri().toString());
    env.put("STINT_AWS_REGION", "eu-west-1");
    env.put("STINT_AWS_CLOUDTRAIL_ENDPOINT", cloudTrail.uri().toString());
    env.put("STINT_ACTIVITY_REGIONS", "eu-west-1");
    env.put("STINT_ACTIVITY_INGEST_TOKEN", TOKEN);
    env.put(
        "STINT_SLACK_WEBHOOK_URL", "http://127.0.0.1:" + slack.actualPort() + "/services/T/B/X");
    database = TestPostgres.migratedDatabase();
    server = TestServer.start(database, env, ActivityEndToEndIT.policy(idp), clock);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
    cloudTrail.close();
    sts.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  static HttpResponse<String> push(String authorization, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.uri("/v1/ingest/cloudtrail"))
            .header("Content-Type", "application/json; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return server.send(b.build());
  }

  static String delivered(CloudTrailEvent e) {
    return EventBridgeDeliveries.of(e, ActivityEndToEndIT.ACCOUNT);
  }

  static CloudTrailEvent.Builder call(String source, String name, String eventId) {
    return CloudTrailEvent.builder(source, name)
        .eventId(eventId)
        .time(clock.instant().truncatedTo(ChronoUnit.SECONDS))
        .region("eu-west-1")
        .accessKeyId(key)
        .assumedRole("prod", "alice");
  }

  static JsonNode activity() throws Exception {
    HttpResponse<String> r =
        server.get("/v1/requests/" + request + "/activity", idp.dayToken("alice", "eng"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /** The operations of the calls the request's activity shows. */
  static List<String> eventIds() throws Exception {
    return activity().path("events").findValuesAsText("event_name");
  }

  static JsonNode post(String path, String body) throws Exception {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri(path))
                .header("Authorization", "Bearer " + idp.dayToken("alice", "eng"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
    return JSON.readTree(r.body());
  }

  @Test
  @Order(1)
  void anEventPushedWithTheTokenShowsOnTheRequestOnceHoweverOftenDelivered() throws Exception {
    request =
        post(
                "/v1/requests",
                "{\"profile\":\"quick\",\"duration_seconds\":1800,\"reason\":\"INC-39\"}")
            .get("id")
            .asText();
    key = post("/v1/credentials", "{\"profile\":\"quick\"}").get("access_key_id").asText();
    String event = delivered(call("s3.amazonaws.com", "GetObject", "ev-pushed-1").build());

    assertThat(push("Bearer " + TOKEN, event).statusCode()).isEqualTo(204);
    assertThat(push("Bearer " + TOKEN, event).statusCode()).isEqualTo(204);

    JsonNode a = activity();
    assertThat(eventIds()).containsExactly("GetObject");
    assertThat(a.path("summary").path("calls").asLong()).isEqualTo(1);
    assertThat(a.path("events").get(0).path("access_key_id").asText()).isEqualTo(key);
    assertThat(a.path("sources").findValuesAsText("name"))
        .containsExactly("cloudtrail_lookup", "cloudtrail_ingest");
  }

  @Test
  @Order(2)
  void anEventBothPushedAndLookedUpCountsOnce() throws Exception {
    CloudTrailEvent both = call("s3.amazonaws.com", "PutObject", "ev-both-1").build();
    cloudTrail.record(ActivityEndToEndIT.ACCOUNT, both);
    cloudTrail.record(
        ActivityEndToEndIT.ACCOUNT, call("iam.amazonaws.com", "GetRole", "ev-lookup-1").build());
    assertThat(push("Bearer " + TOKEN, delivered(both)).statusCode()).isEqualTo(204);

    clock.advance(Duration.ofMinutes(10));
    Eventually.until("the lookup finds its call", WAIT, () -> eventIds().contains("GetRole"));

    assertThat(eventIds()).containsExactlyInAnyOrder("GetObject", "PutObject", "GetRole");
    assertThat(activity().path("summary").path("calls").asLong()).isEqualTo(3);
  }

  @Test
  @Order(3)
  void withoutTheTokenOrWithABadBodyNothingIsKept() throws Exception {
    String event = delivered(call("ec2.amazonaws.com", "DescribeInstances", "ev-refused").build());
    JsonObject huge = new JsonObject(event);
    huge.getJsonObject("detail").put("padding", "x".repeat(257 * 1024));

    assertThat(push(null, event).statusCode()).isEqualTo(401);
    assertThat(push("Bearer " + TOKEN.substring(1), event).statusCode()).isEqualTo(401);
    assertThat(push("Bearer " + TOKEN, huge.encode()).statusCode()).isEqualTo(400);
    // Without the token, the body is never read: too large or not, the answer is 401.
    assertThat(push(null, huge.encode()).statusCode()).isEqualTo(401);
    assertThat(push("Bearer " + TOKEN, "{\"detail\": {}}").statusCode()).isEqualTo(400);
    assertThat(push("Bearer " + TOKEN, "not json").statusCode()).isEqualTo(400);
    assertThat(push("Bearer " + TOKEN, event.substring(0, event.length() / 2)).statusCode())
        .isEqualTo(400);

    assertThat(eventIds()).doesNotContain("DescribeInstances").hasSize(3);
    assertThat(server.get("/metrics").body())
        .contains("stint_activity_ingest_unauthenticated_calls_total 3.0");
  }

  @Test
  @Order(4)
  void aRoleOfThePolicyAssumedOutsideStintRaisesTheAlarmAndStintsOwnDoesNot() throws Exception {
    CloudTrailEvent chained =
        CloudTrailEvent.builder("sts.amazonaws.com", "AssumeRole")
            .eventId("ev-chained-1")
            .time(clock.instant().truncatedTo(ChronoUnit.SECONDS))
            .region("eu-west-1")
            .accessKeyId(ActivityEndToEndIT.STINT_KEY)
            .user("stint")
            .roleArn(ROLE)
            .minted(key)
            .build();
    CloudTrailEvent outside =
        CloudTrailEvent.builder("sts.amazonaws.com", "AssumeRole")
            .eventId("ev-outside-1")
            .time(clock.instant().truncatedTo(ChronoUnit.SECONDS))
            .region("eu-west-1")
            .accessKeyId("AKIAMALLORY000000001")
            .user("mallory")
            .sourceIp("203.0.113.66")
            .roleArn(ROLE)
            .build();

    assertThat(push("Bearer " + TOKEN, delivered(chained)).statusCode()).isEqualTo(204);
    assertThat(push("Bearer " + TOKEN, delivered(outside)).statusCode()).isEqualTo(204);
    assertThat(push("Bearer " + TOKEN, delivered(outside)).statusCode()).isEqualTo(204);

    Eventually.until(
        "the alarm reaches Slack",
        WAIT,
        () -> slackPosts.stream().anyMatch(p -> p.contains("assumed outside stint")));
    String audit =
        server.get("/v1/audit?type=role.assumed_outside", idp.dayToken("sam", "security")).body();
    assertThat(audit.split("\"role.assumed_outside\"", -1).length - 1).as(audit).isEqualTo(1);
    assertThat(audit)
        .contains("ev-outside-1", "arn:aws:iam::111122223333:user/mallory", "203.0.113.66")
        .doesNotContain("ev-chained-1");
    assertThat(slackPosts.stream().filter(p -> p.contains("assumed outside stint")))
        .singleElement()
        .asString()
        .contains("mallory", "ev-outside-1")
        .doesNotContain("ev-chained-1");
  }
}
