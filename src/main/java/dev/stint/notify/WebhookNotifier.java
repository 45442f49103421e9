package dev.stint.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.config.StintConfig;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers notifications to a Slack incoming webhook and to generic, HMAC-signed webhooks, in
 * the background with retries. Receivers are named in logs by host only: a Slack webhook URL
 * is itself a secret.
 */
public final class WebhookNotifier implements Notifier, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookNotifier.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** More undelivered notifications than this means receivers are down; drop, loudly. */
  static final int MAX_IN_FLIGHT = 1_000;

  private final Vertx vertx;
  private final WebClient client;
  private final List<Target> targets;
  private final Retry retry;
  private final Clock clock;
  private final AtomicInteger inFlight = new AtomicInteger();

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

  /** Delays between attempts; one more attempt than delays. */
  public record Retry(List<Duration> delays, Duration timeout) {
    public static final Retry DEFAULT = new Retry(
        List.of(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(60)),
        Duration.ofSeconds(5));
  }

  public WebhookNotifier(Vertx vertx, List<Target> targets, Retry retry, Clock clock) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    this.targets = List.copyOf(targets);
    this.retry = retry;
    this.clock = clock;
  }

  /** The targets the server configuration names. */
  public static List<Target> targets(StintConfig.NotifyConfig config) {
    List<Target> out = new ArrayList<>();
    config.slackWebhookUrl().ifPresent(url -> out.add(new Target(url, Optional.empty(), true)));
    config.webhooks().forEach(w -> out.add(new Target(w.url(), Optional.of(w.secret()), false)));
    return out;
  }

  @Override
  public void send(Notification notification) {
    for (Target target : targets) {
      if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
        inFlight.decrementAndGet();
        log.error("notification {} for {} dropped: {} deliveries already waiting",
            notification.event(), notification.request().id(), MAX_IN_FLIGHT);
        continue;
      }
      Buffer body = Buffer.buffer(encode(target, notification));
      attempt(target, notification, body, 0);
    }
  }

  private void attempt(Target target, Notification n, Buffer body, int attempt) {
    var request = client.postAbs(target.url().toString())
        .timeout(retry.timeout().toMillis())
        .putHeader("Content-Type", "application/json")
        .putHeader("User-Agent", "stint-notify");
    target.secret().ifPresent(secret -> {
      long now = clock.instant().getEpochSecond();
      request.putHeader(Signatures.TIMESTAMP_HEADER, Long.toString(now));
      request.putHeader(Signatures.SIGNATURE_HEADER, Signatures.sign(secret, now, body.getBytes()));
    });
    request.sendBuffer(body).onComplete(result -> {
      boolean ok = result.succeeded() && result.result().statusCode() / 100 == 2;
      if (ok) {
        inFlight.decrementAndGet();
        return;
      }
      String why = result.succeeded() ? "HTTP " + result.result().statusCode()
          : result.cause().getClass().getSimpleName();
      if (attempt < retry.delays().size()) {
        log.warn("notification {} to {} failed ({}), retrying", n.event(), target, why);
        vertx.setTimer(Math.max(1, retry.delays().get(attempt).toMillis()),
            t -> attempt(target, n, body, attempt + 1));
      } else {
        inFlight.decrementAndGet();
        log.error("notification {} for {} to {} failed after {} attempts ({})", n.event(),
            n.request().id(), target, attempt + 1, why);
      }
    });
  }

  private static byte[] encode(Target target, Notification n) {
    // Slack reads its text as markup, so SlackText escapes what people supplied. The generic
    // body is JSON data, not markup: it carries the values as they are, for receivers to render
    // safely in their own format. Unfurling is off, so a URL typed into a reason stays a line of
    // text rather than a preview card.
    Map<String, Object> body = target.slack()
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
