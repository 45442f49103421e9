package dev.stint.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.testing.FakeSlack;
import dev.stint.testing.MutableClock;
import dev.stint.testing.Patience;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The real server on a test clock with the Slack app (against {@link FakeSlack}) and a webhook
 * receiver, for the routing tests: one profile {@code prod}, requested by {@code eng}, approved by
 * {@code sre}, with the approval lines the test adds (reminders, escalation).
 */
final class RoutingStack implements AutoCloseable {
  static final String CHANNEL = "C0APPROVALS";

  /** Now: the identity provider's tokens last an hour of real time, so the test stays inside it. */
  final Instant t0 = Instant.now();

  final List<String> webhook = new CopyOnWriteArrayList<>();
  final Vertx vertx = Vertx.vertx();
  final HttpServer receiver;
  final FakeSlack slack = new FakeSlack(CHANNEL);
  final TestIdp idp = new TestIdp("corp");
  final MutableClock clock = new MutableClock(t0);
  final TestServer server;

  /**
   * @param approval the lines under {@code approval:} besides the approvers rule
   */
  RoutingStack(String approval) throws Exception {
    receiver =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            body -> {
                              webhook.add(body.toString());
                              req.response().setStatusCode(200).end("ok");
                            }))
            .listen(0, "127.0.0.1")
            .await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    server =
        TestServer.start(
            TestPostgres.migratedDatabase(),
            Map.of(
                "STINT_SLACK_BOT_TOKEN",
                FakeSlack.TOKEN,
                "STINT_SLACK_SIGNING_SECRET",
                "0123456789abcdef0123456789abcdef",
                "STINT_SLACK_CHANNEL",
                CHANNEL,
                "STINT_SLACK_API_URL",
                slack.apiUrl().toString(),
                "STINT_SLACK_WEBHOOK_URL",
                "http://127.0.0.1:" + receiver.actualPort() + "/services/T/B/X",
                "STINT_PUBLIC_URL",
                "https://stint.example.com"),
            "issuers:\n"
                + idp.issuerYaml("corp")
                + "profiles:\n"
                + "  prod:\n"
                + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod-admin\","
                + " mode: assume_role}\n"
                + "    max_duration: 2h\n"
                + "    requesters: 'principal.groups.exists(g, g == \"eng\")'\n"
                + "    approval:\n"
                + "      approvers: 'principal.groups.exists(g, g == \"sre\")'\n"
                + approval,
            clock);
  }

  long webhookTexts(String containing) {
    return webhook.stream().filter(b -> b.contains(containing)).count();
  }

  /** A request for {@code prod} by {@code user}; its id. */
  String create(String user, String reason) throws Exception {
    HttpResponse<String> created =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/requests"))
                .header("Authorization", "Bearer " + idp.token(user, "eng"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"profile\":\"prod\","
                            + "\"duration_seconds\":3600,\"reason\":\""
                            + reason
                            + "\"}"))
                .build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return new ObjectMapper().readTree(created.body()).get("id").asText();
  }

  HttpResponse<String> decide(String id, String action, String user, String group) {
    return server.send(
        HttpRequest.newBuilder(server.uri("/v1/requests/" + id + "/" + action))
            .header("Authorization", "Bearer " + idp.token(user, group))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
  }

  /** One sweeper round now, on the server's clock; how many requests it marked. */
  int sweep() throws Exception {
    return server.server().rounds().sweep().await(Patience.seconds(20), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws Exception {
    server.close();
    idp.close();
    slack.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }
}
