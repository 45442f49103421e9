package dev.stint.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.access.AccessRequest;
import dev.stint.identity.Person;
import dev.stint.access.RequestState;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
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
  static final WebhookNotifier.Retry FAST =
      new WebhookNotifier.Retry(List.of(Duration.ofMillis(5), Duration.ofMillis(5)),
          Duration.ofSeconds(2));

  record Received(String path, Map<String, String> headers, byte[] body) {}

  Vertx vertx;
  HttpServer receiver;
  BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  AtomicInteger failuresLeft = new AtomicInteger();
  WebhookNotifier notifier;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    receiver = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      Map<String, String> headers = new java.util.HashMap<>();
      req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
      received.add(new Received(req.path(), headers, body.getBytes()));
      req.response().setStatusCode(failuresLeft.getAndDecrement() > 0 ? 500 : 204).end();
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    if (notifier != null) {
      notifier.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + receiver.actualPort() + path);
  }

  static Notification notification(String event) {
    Person alice = new Person("https://idp.test", "alice", Optional.of("alice@example.com"));
    Person bob = new Person("https://idp.test", "bob", Optional.of("bob@example.com"));
    AccessRequest r = new AccessRequest("req_abc", "aws-prod-admin", alice, "INC-123",
        Optional.empty(), Duration.ofMinutes(90), Optional.empty(), false, 1,
        RequestState.APPROVED, NOW, NOW, 1, List.of(), Optional.empty());
    return new Notification(event, r, bob, Optional.of("looks fine"), NOW,
        URI.create("https://stint.example.com/ui/requests/req_abc"));
  }

  WebhookNotifier notifier(List<WebhookNotifier.Target> targets) {
    notifier = new WebhookNotifier(vertx, targets, FAST, Clock.fixed(NOW, ZoneOffset.UTC));
    return notifier;
  }

  @Test
  void genericWebhooksGetASignedJsonBody() throws Exception {
    notifier(List.of(new WebhookNotifier.Target(url("/hook"), Optional.of(SECRET), false)))
        .send(notification("request.approved"));
    Received r = received.poll(10, TimeUnit.SECONDS);
    assertThat(r).isNotNull();
    String timestamp = r.headers().get("x-stint-timestamp");
    assertThat(timestamp).isEqualTo(Long.toString(NOW.getEpochSecond()));
    assertThat(r.headers().get("x-stint-signature"))
        .isEqualTo(Signatures.sign(SECRET, NOW.getEpochSecond(), r.body()))
        .isNotEqualTo(Signatures.sign("another-secret-of-enough-length", NOW.getEpochSecond(),
            r.body()));
    JsonNode body = new ObjectMapper().readTree(r.body());
    assertThat(body.get("event").asText()).isEqualTo("request.approved");
    assertThat(body.get("request_id").asText()).isEqualTo("req_abc");
    assertThat(body.get("actor").asText()).isEqualTo("bob@example.com");
    assertThat(body.get("url").asText()).endsWith("/ui/requests/req_abc");
  }

  @Test
  void slackGetsAOneLineMessageWithALink() throws Exception {
    notifier(List.of(new WebhookNotifier.Target(url("/slack"), Optional.empty(), true)))
        .send(notification("request.approved"));
    Received r = received.poll(10, TimeUnit.SECONDS);
    String text = new ObjectMapper().readTree(r.body()).get("text").asText();
    assertThat(text).isEqualTo("bob@example.com approved alice@example.com's request for "
        + "aws-prod-admin for 1h30m — \"looks fine\" "
        + "<https://stint.example.com/ui/requests/req_abc|req_abc>");
    assertThat(r.headers()).doesNotContainKey("x-stint-signature");
  }

  @Test
  void slackGetsTheRequestersTextEscapedNeverAsMentionsOrLinks() throws Exception {
    Person alice = new Person("https://idp.test", "alice", Optional.of("alice@example.com"));
    AccessRequest r = new AccessRequest("req_abc", "aws-prod-admin", alice,
        "INC-1 <!channel> <https://evil.example/approve|Approve>", Optional.empty(),
        Duration.ofMinutes(90), Optional.empty(), false, 1, RequestState.PENDING, NOW, NOW, 1,
        List.of(), Optional.empty());
    notifier(List.of(new WebhookNotifier.Target(url("/slack"), Optional.empty(), true)))
        .send(new Notification("request.created", r, alice, Optional.empty(), NOW,
            URI.create("https://stint.example.com/ui/requests/req_abc")));
    Received got = received.poll(10, TimeUnit.SECONDS);
    String text = new ObjectMapper().readTree(got.body()).get("text").asText();
    assertThat(text).isEqualTo("alice@example.com requests aws-prod-admin for 1h30m: INC-1 "
        + "&lt;!channel&gt; &lt;https://evil.example/approve|Approve&gt; "
        + "<https://stint.example.com/ui/requests/req_abc|req_abc>");
  }

  @Test
  void failedDeliveriesAreRetriedThenDelivered() throws Exception {
    failuresLeft.set(2);
    notifier(List.of(new WebhookNotifier.Target(url("/hook"), Optional.of(SECRET), false)))
        .send(notification("grant.revoked"));
    for (int i = 0; i < 3; i++) {
      assertThat(received.poll(10, TimeUnit.SECONDS)).as("attempt " + (i + 1)).isNotNull();
    }
    assertThat(received.poll(300, TimeUnit.MILLISECONDS)).as("no fourth attempt").isNull();
  }

  @Test
  void aReceiverThatKeepsFailingIsGivenUpOnAfterTheLastRetry() throws Exception {
    failuresLeft.set(100);
    notifier(List.of(new WebhookNotifier.Target(url("/hook"), Optional.of(SECRET), false)))
        .send(notification("request.denied"));
    for (int i = 0; i < 3; i++) {
      assertThat(received.poll(10, TimeUnit.SECONDS)).isNotNull();
    }
    assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void breakGlassSummaryIsLoud() {
    assertThat(notification("break_glass.used").summary())
        .startsWith("BREAK-GLASS: alice@example.com activated aws-prod-admin for 1h30m")
        .contains("needs review");
  }
}
