package dev.stint.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.stint.log.JsonLogEncoder;
import dev.stint.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class HttpBasicsIT {
  static TestServer server;
  static final List<String> accessLines = new CopyOnWriteArrayList<>();
  static final Logger accessLogger = (Logger) LoggerFactory.getLogger("stint.access");
  static final AppenderBase<ILoggingEvent> capture =
      new AppenderBase<>() {
        final JsonLogEncoder encoder = new JsonLogEncoder();

        @Override
        protected void append(ILoggingEvent event) {
          // Encoded where it is logged, on the request's context, as the real appender does.
          accessLines.add(new String(encoder.encode(event), StandardCharsets.UTF_8));
        }
      };

  @BeforeAll
  static void start() {
    capture.start();
    accessLogger.addAppender(capture);
    server = TestServer.start();
  }

  @AfterAll
  static void stop() throws Exception {
    accessLogger.detachAppender(capture);
    server.close();
  }

  private static JsonObject problem(HttpResponse<String> r, int status, String code) {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("code")).isEqualTo(code);
    assertThat(body.getInteger("status")).isEqualTo(status);
    assertThat(body.getString("type")).isEqualTo("urn:stint:error:" + code);
    assertThat(body.getString("title")).isNotBlank();
    assertThat(body.getString("detail")).isNotBlank();
    assertThat(body.getString("request_id"))
        .isEqualTo(r.headers().firstValue("X-Request-Id").orElseThrow());
    return body;
  }

  @Test
  void healthzAnswers() {
    HttpResponse<String> r = server.get("/healthz");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getString("status")).isEqualTo("ok");
  }

  @Test
  void readyzWhenDatabaseAndPoliciesAreThere() {
    HttpResponse<String> r = server.get("/readyz");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getJsonObject("checks").getMap())
        .containsEntry("database", "ok")
        .containsEntry("policies", "ok");
  }

  @Test
  void metricsArePrometheusText() {
    server.get("/healthz");
    HttpResponse<String> r = server.get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
    assertThat(r.body())
        .contains("# TYPE")
        .contains("vertx_http_server_requests_total")
        .contains("jvm_memory_used_bytes")
        // The audit writer's meters are in the server's registry (AuditMetricsTest has more).
        .contains("stint_audit_wait_seconds_bucket")
        .contains("stint_audit_queue_events")
        // So are issuance's, every series from the start (CloudIssuanceTest counts them).
        .contains("stint_issuance_seconds_bucket{channel=\"ci\",outcome=\"failed\"")
        .contains("stint_issuance_mint_seconds_bucket{cloud=\"aws\",outcome=\"minted\"")
        // Log lines a stalled stdout cost (ContextAsyncAppenderTest drops some).
        .contains("stint_log_lines_dropped_total")
        // Each connection pool has meters of its own, under its own name.
        .contains("pool_name=\"stint\"")
        .contains("pool_name=\"stint-audit\"");
  }

  @Test
  void unknownPathIsProblemJson404() {
    JsonObject body = problem(server.get("/nope"), 404, "not_found");
    assertThat(body.getString("detail")).contains("/nope");
  }

  @Test
  void wrongMethodIsProblemJson405() {
    problem(
        server.send(HttpRequest.newBuilder(server.uri("/healthz")).DELETE().build()),
        405,
        "method_not_allowed");
  }

  @Test
  void bodyOver64KiBIsProblemJson413() {
    byte[] big = new byte[64 * 1024 + 1];
    Arrays.fill(big, (byte) 'a');
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/requests"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(big))
                .build());
    problem(r, 413, "payload_too_large");
  }

  @Test
  void bodyOfExactly64KiBIsNotRefusedForItsSize() {
    byte[] limit = new byte[64 * 1024];
    Arrays.fill(limit, (byte) 'a');
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri("/nope"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(limit))
                .build());
    assertThat(r.statusCode()).isEqualTo(404);
  }

  @Test
  void requestIdIsGeneratedOrEchoedAndLogged() {
    HttpResponse<String> generated = server.get("/healthz");
    String id = generated.headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(id).matches("[0-9a-f]{24}");

    HttpResponse<String> echoed =
        server.send(
            HttpRequest.newBuilder(server.uri("/healthz"))
                .header("X-Request-Id", "caller-chosen-id-123")
                .GET()
                .build());
    assertThat(echoed.headers().firstValue("X-Request-Id")).contains("caller-chosen-id-123");

    HttpResponse<String> unsafe =
        server.send(
            HttpRequest.newBuilder(server.uri("/healthz"))
                .header("X-Request-Id", "bad id with spaces\"")
                .GET()
                .build());
    assertThat(unsafe.headers().firstValue("X-Request-Id").orElseThrow()).matches("[0-9a-f]{24}");

    assertThat(accessLines)
        .anySatisfy(
            line -> {
              JsonObject json = new JsonObject(line);
              assertThat(json.getString("request_id")).isEqualTo("caller-chosen-id-123");
              assertThat(json.getString("path")).isEqualTo("/healthz");
              assertThat(json.getString("status")).isEqualTo("200");
            });
  }

  @Test
  void responsesAreNeverCached() {
    assertThat(server.get("/healthz").headers().firstValue("Cache-Control")).contains("no-store");
  }
}
