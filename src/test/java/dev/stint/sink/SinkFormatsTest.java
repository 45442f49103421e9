package dev.stint.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditRecord;
import dev.stint.audit.ChainHash;
import dev.stint.config.CheckpointConfig;
import dev.stint.testing.FakeS3;
import dev.stint.testing.JsonSchemas;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * What each sink sends: OCSF events that validate against the OCSF classes' schema (test
 * resources), Splunk HEC requests a HEC stand-in accepts only with the token, and S3 JSONL objects
 * whose lines are the export's, through the real S3 client against FakeS3.
 */
class SinkFormatsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HEC_TOKEN = "11111111-2222-3333-4444-555555555555";
  private HttpServer receiver;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private URI base;

  @BeforeEach
  void start() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    receiver.createContext(
        "/ocsf",
        ex -> {
          try (ex) {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
          }
        });
    receiver.createContext(
        "/services/collector/event",
        ex -> {
          try (ex) {
            String answer;
            int status;
            if (!("Splunk " + HEC_TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
              status = 401;
              answer = "{\"text\":\"Invalid authorization\",\"code\":3}";
            } else {
              String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
              boolean ok = !body.isBlank() && body.lines().allMatch(SinkFormatsTest::hecEvent);
              status = ok ? 200 : 400;
              answer =
                  ok
                      ? "{\"text\":\"Success\",\"code\":0}"
                      : "{\"text\":\"Invalid data format\",\"code\":6}";
              if (ok) {
                bodies.add(body);
              }
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
          }
        });
    receiver.start();
    base = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
  }

  private static boolean hecEvent(String line) {
    try {
      JsonNode n = JSON.readTree(line);
      return n.path("event").isObject()
          && n.path("time").isNumber()
          && "stint:audit".equals(n.path("sourcetype").asText());
    } catch (IOException e) {
      return false;
    }
  }

  private static AuditRecord record(long seq, AuditEvent e) {
    UUID id = UUID.randomUUID();
    Instant at = Instant.parse("2026-11-25T10:00:00.123456Z").plusSeconds(seq);
    String prev = "0".repeat(64);
    return new AuditRecord(seq, id, at, e, prev, ChainHash.hash(seq, id, at, e, prev));
  }

  private static AuditEvent event(String type) {
    AuditEvent.Builder b =
        AuditEvent.builder(type)
            .actor("https://idp.example", "alice", "alice@example.com")
            .requestId("req_1")
            .profile("prod")
            .cloud("aws")
            .target("arn:aws:iam::111122223333:role/prod")
            .outcome("ok")
            .reason("INC-1")
            .client("10.0.0.1", "stint-cli")
            .detail("n", 1);
    if (type.startsWith("grant.")) {
      b.grantId("gr_1");
    }
    return b.build();
  }

  private static Validator ocsfSchema() throws IOException {
    try (InputStream in =
        SinkFormatsTest.class.getResourceAsStream("/ocsf/stint-classes.schema.json")) {
      JsonObject schema = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return JsonSchemas.validator(schema);
    }
  }

  private static void assertValid(Validator schema, Map<String, Object> ocsf) {
    OutputUnit result = schema.validate(new JsonObject(ocsf));
    assertThat(result.getValid()).as(ocsf + " " + result.getErrors()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
    "web.signed_in, 3002, 1",
    "identity.refused, 3002, 1",
    "request.approved, 3005, 1",
    "break_glass.used, 3005, 1",
    "grant.extended, 3005, 1",
    "grant.revoked, 3005, 2",
    "grant.expired, 3005, 2",
    "grant.revocation_applied, 3005, 2",
    "request.created, 6003, 1",
    "credential.issued, 6003, 1",
    "console.issued, 6003, 1",
    "policy.reloaded, 6003, 3",
    "policy.refused, 6003, 3",
    "request.denied, 6003, 99",
    "credential.denied, 6003, 99",
    "audit.tamper_detected, 6003, 99",
    "outbox.dead, 6003, 99"
  })
  void everyEventTypeMapsToAnOcsfClassThatValidates(String type, int classUid, int activity)
      throws IOException {
    Map<String, Object> ocsf = OcsfMapping.map(record(7, event(type)));
    assertThat(ocsf)
        .containsEntry("class_uid", classUid)
        .containsEntry("activity_id", activity)
        .containsEntry("type_uid", classUid * 100L + activity);
    assertValid(ocsfSchema(), ocsf);
  }

  @Test
  void systemEventsWithoutAnAddressStillValidate() throws IOException {
    AuditEvent sweep =
        AuditEvent.builder("grant.expired")
            .actor(AuditEvent.Actor.SYSTEM)
            .requestId("req_2")
            .grantId("gr_2")
            .outcome("ok")
            .build();
    Map<String, Object> ocsf = OcsfMapping.map(record(3, sweep));
    assertValid(ocsfSchema(), ocsf);
    assertThat(ocsf.get("actor")).isEqualTo(Map.of("app_name", "stint"));
    AuditEvent refused = AuditEvent.builder("credential.denied").outcome("refused").build();
    Map<String, Object> denied = OcsfMapping.map(record(4, refused));
    assertValid(ocsfSchema(), denied);
    assertThat(denied).containsEntry("status_id", 2);
  }

  @Test
  void theSchemaHasTeeth() throws IOException {
    Map<String, Object> ocsf =
        new LinkedHashMap<>(OcsfMapping.map(record(1, event("web.signed_in"))));
    ocsf.remove("user");
    assertThat(ocsfSchema().validate(new JsonObject(ocsf)).getValid()).isFalse();
    Map<String, Object> wrongType =
        new LinkedHashMap<>(OcsfMapping.map(record(1, event("credential.issued"))));
    wrongType.put("type_uid", 600305L);
    assertThat(ocsfSchema().validate(new JsonObject(wrongType)).getValid()).isFalse();
  }

  @Test
  void theOcsfSinkPostsOneArrayPerBatch() throws Exception {
    new OcsfSink("ocsf", base.resolve("/ocsf"))
        .deliver(
            List.of(record(1, event("request.created")), record(2, event("request.approved"))));
    JsonNode posted = JSON.readTree(bodies.get(0));
    assertThat(posted).hasSize(2);
    assertThat(posted.get(1).path("class_uid").asInt()).isEqualTo(3005);
    assertThat(posted.get(0).path("metadata").path("sequence").asLong()).isEqualTo(1);
  }

  @Test
  void splunkHecTakesTheBatchOnlyWithItsToken() throws Exception {
    List<AuditRecord> batch =
        List.of(record(1, event("credential.issued")), record(2, event("grant.revoked")));
    new SplunkHecSink("splunk", base.resolve("/services/collector/event"), HEC_TOKEN)
        .deliver(batch);
    List<String> lines = bodies.get(0).lines().toList();
    assertThat(lines).hasSize(2);
    JsonNode first = JSON.readTree(lines.get(0));
    assertThat(first.path("event").path("event_id").asText())
        .isEqualTo(batch.get(0).eventId().toString());
    assertThat(first.path("time").decimalValue())
        .isEqualByComparingTo(BigDecimal.valueOf(batch.get(0).occurredAt().toEpochMilli(), 3))
        .isNotZero();
    assertThatThrownBy(
            () ->
                new SplunkHecSink(
                        "splunk", base.resolve("/services/collector/event"), "wrong-token")
                    .deliver(batch))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("401")
        .hasMessageNotContaining("wrong-token");
  }

  @Test
  void s3ObjectsHoldTheExportsLinesAndARetryIsHarmless() throws Exception {
    try (FakeS3 s3 = FakeS3.start()) {
      s3.createBucket("audit-stream", false);
      CheckpointConfig.S3 where =
          new CheckpointConfig.S3(
              "audit-stream",
              "stint/events",
              Optional.of(s3.endpoint()),
              Optional.of("eu-west-1"),
              Optional.empty(),
              Optional.empty());
      List<AuditRecord> batch = new ArrayList<>();
      for (long seq = 5; seq <= 7; seq++) {
        batch.add(record(seq, event("request.created")));
      }
      try (S3JsonlSink sink =
          new S3JsonlSink(
              "archive",
              where,
              S3JsonlSink.client(
                  where,
                  StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "x"))))) {
        sink.deliver(batch);
        sink.deliver(batch); // a resend after a lost answer: the object is there already
      }
      Map<String, FakeS3.StoredObject> objects = s3.objects("audit-stream");
      assertThat(objects)
          .containsOnlyKeys("stint/events/audit-00000000000000000005-00000000000000000007.jsonl");
      List<String> lines = objects.values().iterator().next().body().lines().toList();
      assertThat(lines).hasSize(3);
      assertThat(JSON.readTree(lines.get(2)).path("hash").asText()).isEqualTo(batch.get(2).hash());
      assertThat(JSON.readTree(lines.get(0)).path("seq").asLong()).isEqualTo(5);
    }
  }
}
