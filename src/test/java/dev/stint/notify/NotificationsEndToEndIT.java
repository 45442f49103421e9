package dev.stint.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.testing.Patience;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPolicies;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Slack receiver that always fails: requests still succeed, and the message says what happened.
 */
class NotificationsEndToEndIT {
  static Vertx vertx;
  static HttpServer slack;
  static final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  static TestIdp idp;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    slack =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            body -> {
                              received.add(body.toString());
                              req.response().setStatusCode(500).end("slack is down");
                            }))
            .listen(0, "127.0.0.1")
            .await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    idp = new TestIdp("corp");
    server =
        TestServer.start(
            TestPostgres.migratedDatabase(),
            Map.of(
                "STINT_SLACK_WEBHOOK_URL",
                "http://127.0.0.1:" + slack.actualPort() + "/services/T/B/X",
                "STINT_PUBLIC_URL",
                "https://stint.example.com"),
            TestPolicies.requests(idp));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  @Test
  void aFailingReceiverNeverFailsTheRequestAndIsToldWhatHappened() throws Exception {
    HttpResponse<String> created =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/requests"))
                .header("Authorization", "Bearer " + idp.token("alice", "eng"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"profile\":\"prod\","
                            + "\"duration_seconds\":3600,\"reason\":\"INC-77 queue stuck\"}"))
                .build());
    assertThat(created.statusCode()).isEqualTo(201);
    String id = new ObjectMapper().readTree(created.body()).get("id").asText();

    String message = received.poll(20, TimeUnit.SECONDS);
    assertThat(message).isNotNull();
    String text = new ObjectMapper().readTree(message).get("text").asText();
    assertThat(text)
        .isEqualTo(
            "alice@example.com requests prod for 1h: INC-77 queue stuck "
                + "<https://stint.example.com/ui/requests/"
                + id
                + "|"
                + id
                + ">");

    HttpResponse<String> approved =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/requests/" + id + "/approve"))
                .header("Authorization", "Bearer " + idp.token("bob", "sre"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(approved.statusCode()).isEqualTo(200);
  }

  /**
   * Through the real server: a reason and ticket carrying Slack control sequences reach the webhook
   * escaped, and stint's own link is the one link in the message.
   */
  @Test
  void aReasonAndTicketCannotPingOrLinkInSlack() throws Exception {
    HttpResponse<String> created =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/requests"))
                .header("Authorization", "Bearer " + idp.token("carl", "eng"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"profile\":\"prod\","
                            + "\"duration_seconds\":3600,\"reason\":\"INC-78 <!channel> "
                            + "<https://evil.example|Approve>\",\"ticket\":\"<!here>\"}"))
                .build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = new ObjectMapper().readTree(created.body()).get("id").asText();

    String text = null;
    while (text == null || !text.startsWith("carl@")) {
      String message = received.poll(20, TimeUnit.SECONDS);
      assertThat(message).as("carl's message").isNotNull();
      text = new ObjectMapper().readTree(message).get("text").asText();
    }
    assertThat(text)
        .isEqualTo(
            "carl@example.com requests prod for 1h: INC-78 &lt;!channel&gt; "
                + "&lt;https://evil.example|Approve&gt; (ticket &lt;!here&gt;) "
                + "<https://stint.example.com/ui/requests/"
                + id
                + "|"
                + id
                + ">");
  }
}
