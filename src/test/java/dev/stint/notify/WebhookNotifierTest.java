package dev.stint.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.access.AccessRequest;
import dev.stint.identity.Person;
import dev.stint.testing.Patience;
import dev.stint.testing.Requests;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookNotifierTest {
  static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  static final String SECRET = "a-webhook-secret-of-32-characters";

  record Received(String path, Map<String, String> headers, byte[] body) {}

  Vertx vertx;
  HttpServer receiver;
  BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  AtomicInteger failuresLeft = new AtomicInteger();
  WebhookNotifier notifier;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    receiver =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            body -> {
                              Map<String, String> headers = new HashMap<>();
                              req.headers()
                                  .forEach(
                                      h ->
                                          headers.put(
                                              h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
                              received.add(new Received(req.path(), headers, body.getBytes()));
                              req.response()
                                  .setStatusCode(failuresLeft.getAndDecrement() > 0 ? 500 : 204)
                                  .end();
                            }))
            .listen(0, "127.0.0.1")
            .await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    if (notifier != null) {
      notifier.close();
    }
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + receiver.actualPort() + path);
  }

  static Notification notification(String event) {
    Person alice = new Person("https://idp.test", "alice", Optional.of("alice@example.com"));
    Person bob = new Person("https://idp.test", "bob", Optional.of("bob@example.com"));
    AccessRequest r =
        Requests.approved("req_abc")
            .profile("aws-prod-admin")
            .requester(alice)
            .reason("INC-123")
            .duration(Duration.ofMinutes(90))
            .at(NOW)
            .version(1)
            .build();
    return new Notification(
        event,
        r,
        bob,
        Optional.of("looks fine"),
        NOW,
        URI.create("https://stint.example.com/ui/requests/req_abc"));
  }

  /** Delivers {@code n} to {@code target} once, as the outbox does, as delivery 7. */
  Future<Void> deliver(WebhookNotifier.Target target, Notification n) {
    if (notifier == null) {
      notifier =
          new WebhookNotifier(
              vertx, List.of(target), Duration.ofSeconds(2), Clock.fixed(NOW, ZoneOffset.UTC));
    }
    return notifier.deliver(target, n, 7);
  }

  @Test
  void genericWebhooksGetASignedJsonBody() throws Exception {
    deliver(
        new WebhookNotifier.Target(url("/hook"), Optional.of(SECRET), false),
        notification("request.approved"));
    Received r = received.poll(10, TimeUnit.SECONDS);
    assertThat(r).isNotNull();
    String timestamp = r.headers().get("x-stint-timestamp");
    assertThat(timestamp).isEqualTo(Long.toString(NOW.getEpochSecond()));
    assertThat(r.headers().get("x-stint-signature"))
        .isEqualTo(Signatures.sign(SECRET, NOW.getEpochSecond(), r.body()))
        .isNotEqualTo(
            Signatures.sign("another-secret-of-enough-length", NOW.getEpochSecond(), r.body()));
    JsonNode body = new ObjectMapper().readTree(r.body());
    assertThat(body.get("event").asText()).isEqualTo("request.approved");
    assertThat(body.get("request_id").asText()).isEqualTo("req_abc");
    assertThat(body.get("actor").asText()).isEqualTo("bob@example.com");
    assertThat(body.get("url").asText()).endsWith("/ui/requests/req_abc");
  }

  @Test
  void slackGetsAOneLineMessageWithALink() throws Exception {
    deliver(
        new WebhookNotifier.Target(url("/slack"), Optional.empty(), true),
        notification("request.approved"));
    Received r = received.poll(10, TimeUnit.SECONDS);
    String text = new ObjectMapper().readTree(r.body()).get("text").asText();
    assertThat(text)
        .isEqualTo(
            "bob@example.com approved alice@example.com's request for "
                + "aws-prod-admin for 1h30m — \"looks fine\" "
                + "<https://stint.example.com/ui/requests/req_abc|req_abc>");
    assertThat(r.headers()).doesNotContainKey("x-stint-signature");
  }

  @Test
  void slackGetsTheRequestersTextEscapedNeverAsMentionsOrLinks() throws Exception {
    Person alice = new Person("https://idp.test", "alice", Optional.of("alice@example.com"));
    AccessRequest r =
        Requests.pending("req_abc")
            .profile("aws-prod-admin")
            .requester(alice)
            .reason("INC-1 <!channel> <https://evil.example/approve|Approve>")
            .duration(Duration.ofMinutes(90))
            .at(NOW)
            .version(1)
            .build();
    deliver(
        new WebhookNotifier.Target(url("/slack"), Optional.empty(), true),
        new Notification(
            "request.created",
            r,
            alice,
            Optional.empty(),
            NOW,
            URI.create("https://stint.example.com/ui/requests/req_abc")));
    Received got = received.poll(10, TimeUnit.SECONDS);
    String text = new ObjectMapper().readTree(got.body()).get("text").asText();
    assertThat(text)
        .isEqualTo(
            "alice@example.com requests aws-prod-admin for 1h30m: INC-1 "
                + "&lt;!channel&gt; &lt;https://evil.example/approve|Approve&gt; "
                + "<https://stint.example.com/ui/requests/req_abc|req_abc>");
  }

  @Test
  void everyDeliveryNamesItselfTheSameOnEachAttempt() throws Exception {
    WebhookNotifier.Target hook =
        new WebhookNotifier.Target(url("/hook"), Optional.of(SECRET), false);
    deliver(hook, notification("grant.revoked")).await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    deliver(hook, notification("grant.revoked")).await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    assertThat(received.poll(10, TimeUnit.SECONDS).headers().get("x-stint-delivery"))
        .isEqualTo("7");
    assertThat(received.poll(10, TimeUnit.SECONDS).headers().get("x-stint-delivery"))
        .isEqualTo("7");
  }

  @Test
  void aReceiverThatFailsFailsTheDeliveryForTheOutboxToRetry() throws Exception {
    failuresLeft.set(1);
    WebhookNotifier.Target hook =
        new WebhookNotifier.Target(url("/hook"), Optional.of(SECRET), false);
    assertThatThrownBy(
            () ->
                deliver(hook, notification("request.denied"))
                    .await(Patience.seconds(10), TimeUnit.MILLISECONDS))
        .hasMessageContaining("HTTP 500")
        .hasMessageNotContaining("/hook");
    deliver(hook, notification("request.denied"))
        .await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    assertThat(received).hasSize(2);
  }

  @Test
  void breakGlassSummaryIsLoud() {
    assertThat(notification("break_glass.used").summary())
        .startsWith("BREAK-GLASS: alice@example.com activated aws-prod-admin for 1h30m")
        .contains("needs review");
  }
}
