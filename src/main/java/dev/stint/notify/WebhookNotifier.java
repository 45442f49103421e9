package dev.stint.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.config.StintConfig;
import dev.stint.notify.slack.SlackText;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Delivers one notification to one Slack incoming webhook or generic, HMAC-signed webhook, once:
 * retrying is the outbox's work (see {@link WebhookListener}). Each delivery carries its outbox id
 * in {@code X-Stint-Delivery}, the same on every attempt, for receivers that deduplicate. Receivers
 * are named in logs by host only: a Slack webhook URL is itself a secret.
 */
public final class WebhookNotifier implements AutoCloseable {
  /** The header that names a delivery; repeated attempts of one delivery carry the same value. */
  public static final String DELIVERY_HEADER = "X-Stint-Delivery";

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WebClient client;
  private final List<Target> targets;
  private final Duration timeout;
  private final Clock clock;

  /** Where notifications go: Slack gets a chat message, the others the signed JSON body. */
  public record Target(URI url, Optional<String> secret, boolean slack) {
    String label() {
      return (slack ? "slack " : "webhook ") + url.getHost();
    }

    @Override
    public String toString() {
      return label();
    }
  }

  public WebhookNotifier(Vertx vertx, List<Target> targets, Duration timeout, Clock clock) {
    this.client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    this.targets = List.copyOf(targets);
    this.timeout = timeout;
    this.clock = clock;
  }

  /** The targets the server configuration names. */
  public static List<Target> targets(StintConfig.NotifyConfig config) {
    List<Target> out = new ArrayList<>();
    config.slackWebhookUrl().ifPresent(url -> out.add(new Target(url, Optional.empty(), true)));
    config.webhooks().forEach(w -> out.add(new Target(w.url(), Optional.of(w.secret()), false)));
    return out;
  }

  public List<Target> targets() {
    return targets;
  }

  /** One attempt; fails unless the receiver answers 2xx. */
  public Future<Void> deliver(Target target, Notification n, long deliveryId) {
    return post(target, Buffer.buffer(encode(target, n)), deliveryId);
  }

  /**
   * One attempt at an alarm that concerns no request (audit tampering): Slack gets {@code text},
   * the others {@code fields} as the signed JSON body.
   */
  public Future<Void> alarm(
      Target target, Map<String, Object> fields, String text, long deliveryId) {
    Map<String, Object> body =
        target.slack()
            ? Map.of("text", text, "unfurl_links", false, "unfurl_media", false)
            : fields;
    try {
      return post(target, Buffer.buffer(JSON.writeValueAsBytes(body)), deliveryId);
    } catch (JsonProcessingException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<Void> post(Target target, Buffer body, long deliveryId) {
    var request =
        client
            .postAbs(target.url().toString())
            .timeout(timeout.toMillis())
            .putHeader("Content-Type", "application/json")
            .putHeader("User-Agent", "stint-notify")
            .putHeader(DELIVERY_HEADER, Long.toString(deliveryId));
    target
        .secret()
        .ifPresent(
            secret -> {
              long now = clock.instant().getEpochSecond();
              request.putHeader(Signatures.TIMESTAMP_HEADER, Long.toString(now));
              request.putHeader(
                  Signatures.SIGNATURE_HEADER, Signatures.sign(secret, now, body.getBytes()));
            });
    return request
        .sendBuffer(body)
        .compose(
            answer ->
                answer.statusCode() / 100 == 2
                    ? Future.<Void>succeededFuture()
                    : Future.failedFuture(
                        new IllegalStateException(
                            target + " answered HTTP " + answer.statusCode())),
            e ->
                Future.failedFuture(
                    new IllegalStateException(
                        target + " unreachable: " + e.getClass().getSimpleName())));
  }

  private static byte[] encode(Target target, Notification n) {
    // Slack reads its text as markup, so SlackText escapes what people supplied. The generic
    // body is JSON data, not markup: it carries the values as they are, for receivers to render
    // safely in their own format. Unfurling is off, so a URL typed into a reason stays a line of
    // text rather than a preview card.
    Map<String, Object> body =
        target.slack()
            ? Map.of("text", SlackText.of(n), "unfurl_links", false, "unfurl_media", false)
            : n.body();
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always encodes", e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
