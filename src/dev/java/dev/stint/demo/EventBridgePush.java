package dev.stint.demo;

import dev.stint.standin.CloudTrailEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What an EventBridge rule and its API destination do with a CloudTrail event (docs/activity.md,
 * "Pushed by EventBridge"): the record wrapped in EventBridge's envelope ({@code detail-type}
 * {@code AWS API Call via CloudTrail}, {@code source} {@code aws.s3} for S3's, the account, the
 * region, the record as {@code detail}) and posted to stint's {@code POST /v1/ingest/cloudtrail}
 * with the connection's {@code Authorization: Bearer} token. Delivery is in the background, as
 * EventBridge's is; an answer of 5xx or none is delivered again a little later (EventBridge retries
 * for a day), a 4xx is not (EventBridge never retries one).
 */
final class EventBridgePush {
  /** Deliveries of one event at most: enough for a server restarting, never a loop. */
  static final int ATTEMPTS = 5;

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final URI ingest;
  private final String token;
  private final HttpClient http;
  private final AtomicInteger delivered = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();

  /** Pushes to {@code ingest} (stint's ingest URL) with the bearer {@code token}. */
  EventBridgePush(URI ingest, String token) {
    this.ingest = ingest;
    this.token = token;
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  /** {@code event}, recorded in {@code account}'s trail, as EventBridge delivers it to stint. */
  CompletableFuture<Integer> push(String account, CloudTrailEvent event) {
    return attempt(body(account, event), 1);
  }

  /** The event as EventBridge wraps a CloudTrail record, its {@code detail}. */
  static JsonObject envelope(String account, CloudTrailEvent event) {
    String service = event.eventSource().replace(".amazonaws.com", "");
    return new JsonObject()
        .put("version", "0")
        .put("id", UUID.randomUUID().toString())
        .put("detail-type", "AWS API Call via CloudTrail")
        .put("source", "aws." + service)
        .put("account", account)
        .put("time", event.eventTime().toString())
        .put("region", event.awsRegion())
        .put("resources", new JsonArray())
        .put("detail", event.record(account));
  }

  /** Deliveries stint accepted (2xx). */
  int delivered() {
    return delivered.get();
  }

  /** Deliveries stint refused (4xx), never sent again. */
  int refused() {
    return refused.get();
  }

  private static String body(String account, CloudTrailEvent event) {
    return envelope(account, event).encode();
  }

  private CompletableFuture<Integer> attempt(String body, int n) {
    HttpRequest request =
        HttpRequest.newBuilder(ingest)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .handle((response, failure) -> failure == null ? response.statusCode() : -1)
        .thenCompose(
            status -> {
              if (status >= 200 && status < 300) {
                delivered.incrementAndGet();
                return CompletableFuture.completedFuture(status);
              }
              if (status >= 400 && status < 500) {
                refused.incrementAndGet();
                return CompletableFuture.completedFuture(status);
              }
              if (n >= ATTEMPTS) {
                System.err.println("stint demo: EventBridge stand-in gave up an event: " + status);
                return CompletableFuture.completedFuture(status);
              }
              Executor later = CompletableFuture.delayedExecutor(n, TimeUnit.SECONDS);
              return CompletableFuture.supplyAsync(() -> n + 1, later)
                  .thenCompose(next -> attempt(body, next));
            });
  }
}
