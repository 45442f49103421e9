package dev.stint.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.stint.audit.ChainVerifier;
import dev.stint.notify.slack.SlackApi;
import dev.stint.testing.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tamper alarm reaches a signed webhook (HMAC headers, the JSON body) and the Slack app's
 * channel (text naming the seq and layer), and a receiver that fails first is tried again; so does
 * the alarm of an event id that arrived with other content than the copy kept.
 */
class AlarmsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<JsonNode> hooks = new CopyOnWriteArrayList<>();
  private final List<String> signatures = new CopyOnWriteArrayList<>();
  private final List<String> slackPosts = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private HttpServer receiver;
  private boolean failFirst = true;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    receiver.createContext(
        "/hook",
        ex -> {
          try (ex) {
            if (failFirst) {
              failFirst = false;
              ex.sendResponseHeaders(503, -1);
              return;
            }
            // The test waits on hooks, so the signature is recorded before the body it signs.
            signatures.add(
                String.valueOf(ex.getRequestHeaders().getFirst(Signatures.SIGNATURE_HEADER)));
            hooks.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(204, -1);
          }
        });
    receiver.start();
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
    vertx.close();
  }

  private final SlackApi slack =
      new SlackApi() {
        @Override
        public Future<String> post(String channel, String text, String blocksJson) {
          slackPosts.add(channel + " " + text + " " + blocksJson);
          return Future.succeededFuture("1.0");
        }

        @Override
        public Future<Void> reply(String channel, String ts, String text) {
          return Future.failedFuture("not used");
        }

        @Override
        public Future<Void> update(String channel, String ts, String text, String blocksJson) {
          return Future.failedFuture("not used");
        }

        @Override
        public Future<Void> ephemeral(String channel, String user, String text) {
          return Future.failedFuture("not used");
        }

        @Override
        public Future<Void> direct(String user, String text) {
          return Future.failedFuture("not used");
        }

        @Override
        public Future<String> open(String user) {
          return Future.failedFuture("not used");
        }

        @Override
        public Future<Optional<Member>> member(String user) {
          return Future.failedFuture("not used");
        }
      };

  @Test
  void theAlarmReachesTheWebhookAndTheSlackChannel() throws Exception {
    URI hook = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
    WebhookNotifier notifier =
        new WebhookNotifier(
            vertx,
            List.of(new WebhookNotifier.Target(hook, Optional.of("0123456789abcdef0123"), false)),
            Duration.ofSeconds(5),
            Clock.systemUTC());
    Alarms alarm =
        new Alarms(
            vertx,
            notifier,
            Optional.of(new Alarms.SlackChannel(slack, "C0SECURITY")),
            Clock.systemUTC());
    alarm.accept(
        ChainVerifier.Result.broken(
            42, "truncated: the chain ends at seq 41", ChainVerifier.CHECKPOINT));

    assertThat(slackPosts)
        .singleElement()
        .asString()
        .startsWith("C0SECURITY ")
        .contains("seq 42")
        .contains("checkpoint layer")
        .contains("\"verbatim\":true");
    Eventually.until(
        "the webhook, on its second attempt", Duration.ofSeconds(20), () -> !hooks.isEmpty());
    assertThat(hooks.get(0).path("event").asText()).isEqualTo("audit.tamper_detected");
    assertThat(hooks.get(0).path("broken_seq").asLong()).isEqualTo(42);
    assertThat(hooks.get(0).path("layer").asText()).isEqualTo("checkpoint");
    assertThat(signatures.get(0)).startsWith("sha256=");
    notifier.close();
  }

  @Test
  void anEventIdThatArrivedWithOtherContentIsToldWithWhatDiffered() throws Exception {
    URI hook = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
    WebhookNotifier notifier =
        new WebhookNotifier(
            vertx,
            List.of(new WebhookNotifier.Target(hook, Optional.of("0123456789abcdef0123"), false)),
            Duration.ofSeconds(5),
            Clock.systemUTC());
    Alarms alarm =
        new Alarms(
            vertx,
            notifier,
            Optional.of(new Alarms.SlackChannel(slack, "C0SECURITY")),
            Clock.systemUTC());

    alarm.eventConflicted(
        "ev-1", Map.of("event_id", "ev-1", "differing", List.of("event_name"), "kept", Map.of()));

    assertThat(slackPosts)
        .singleElement()
        .asString()
        .contains("CloudTrail event ev-1", "[event_name]", "activity.event_conflicted");
    Eventually.until(
        "the webhook, on its second attempt", Duration.ofSeconds(20), () -> !hooks.isEmpty());
    assertThat(hooks.get(0).path("event").asText()).isEqualTo("activity.event_conflicted");
    assertThat(hooks.get(0).path("event_id").asText()).isEqualTo("ev-1");
    assertThat(hooks.get(0).path("differing").get(0).asText()).isEqualTo("event_name");
    notifier.close();
  }
}
