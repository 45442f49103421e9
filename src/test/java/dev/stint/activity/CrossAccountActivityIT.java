package dev.stint.activity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A credential minted on a role in another account than stint's own is looked up in that account's
 * CloudTrail, through the account's broker role: its calls show on the request, and a call logged
 * under the same key in stint's own account (where the lookup must not look) does not.
 */
class CrossAccountActivityIT {
  static final String OWN = "111122223333";
  static final String OTHER = "222233334444";
  static final String STINT_KEY = "AKIASTINTE2ETEST0062";
  static final String STINT_SECRET = "stint-e2e-test-secret-not-real-0000000062";

  ShiftedClock clock;
  FakeSts sts;
  CloudTrailStandIn cloudTrail;
  TestIdp idp;
  TestServer server;

  static String policy(TestIdp idp) {
    return "issuers:\n"
        + idp.issuerYaml("corp")
        + "profiles:\n"
        + "  other-admin:\n"
        + "    aws: {role_arn: \"arn:aws:iam::"
        + OTHER
        + ":role/Admin\", mode: assume_role}\n"
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'false', auto_approve: 'true'}\n";
  }

  @BeforeEach
  void start() {
    System.setProperty("aws.accessKeyId", STINT_KEY);
    System.setProperty("aws.secretAccessKey", STINT_SECRET);
    clock = new ShiftedClock();
    sts = new FakeSts();
    cloudTrail =
        new CloudTrailStandIn(clock, CloudTrailStandIn.TYPICAL_DELIVERY)
            .allow(STINT_KEY, STINT_SECRET, OWN)
            .allowSessionsOf(sts);
    idp = new TestIdp("corp");
    Map<String, String> env = new HashMap<>();
    env.put("STINT_AWS_STS_ENDPOINT", sts.uri().toString());
    env.put("STINT_AWS_REGION", "eu-west-1");
    env.put("STINT_AWS_CLOUDTRAIL_ENDPOINT", cloudTrail.uri().toString());
    env.put("STINT_AWS_BROKER_ROLE", "stint/broker");
    env.put("STINT_ACTIVITY_REGIONS", "eu-west-1");
    server = TestServer.start(TestPostgres.migratedDatabase(), env, policy(idp), clock);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    idp.close();
    cloudTrail.close();
    sts.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  JsonNode post(String path, String body) throws Exception {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri(path))
                .header("Authorization", "Bearer " + idp.dayToken("alice", "eng"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
    return ActivityEndToEndIT.JSON.readTree(r.body());
  }

  JsonNode activity(String request) throws Exception {
    HttpResponse<String> r =
        server.get("/v1/requests/" + request + "/activity", idp.dayToken("alice", "eng"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return ActivityEndToEndIT.JSON.readTree(r.body());
  }

  void logged(String account, String name, String key) {
    cloudTrail.record(
        account,
        CloudTrailEvent.builder("s3.amazonaws.com", name)
            .time(clock.instant().plus(Duration.ofMinutes(1)))
            .region("eu-west-1")
            .accessKeyId(key)
            .sourceIp("198.51.100.7")
            .assumedRole("Admin", "alice")
            .build());
  }

  @Test
  void aCredentialOfAnotherAccountIsLookedUpThereThroughTheBrokerRole() throws Exception {
    String request =
        post(
                "/v1/requests",
                "{\"profile\":\"other-admin\",\"duration_seconds\":1800,\"reason\":\"INC-62\"}")
            .get("id")
            .asText();
    String key =
        post("/v1/credentials", "{\"profile\":\"other-admin\"}").get("access_key_id").asText();
    logged(OTHER, "GetObject", key);
    logged(OWN, "DeleteBucket", key);

    clock.advance(Duration.ofMinutes(10));
    Eventually.until(
        "the other account's call appears",
        ActivityEndToEndIT.WAIT,
        () -> activity(request).path("events").size() > 0);

    JsonNode events = activity(request).path("events");
    assertThat(events).hasSize(1);
    assertThat(events.get(0).path("event_name").asText()).isEqualTo("GetObject");
    assertThat(sts.calls())
        .filteredOn(c -> "stint-broker".equals(c.param("RoleSessionName")))
        .extracting(c -> c.param("RoleArn"))
        .containsOnly("arn:aws:iam::" + OTHER + ":role/stint/broker");
  }
}
