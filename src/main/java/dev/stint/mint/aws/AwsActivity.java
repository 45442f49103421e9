package dev.stint.mint.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.mint.ActivityLookup;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;

/**
 * What an AWS credential did, from CloudTrail's event history: {@code LookupEvents} by its access
 * key id, region by region, with stint's own identity (which needs {@code
 * cloudtrail:LookupEvents}).
 *
 * <p>CloudTrail answers at most two lookups a second per account and region, so calls to a region
 * are paced here, one every {@link #SPACING}, on threads of their own: a lookup never holds up an
 * issuance. Beyond the pacing, the SDK retries {@code ThrottlingException} with backoff.
 */
public final class AwsActivity implements ActivityLookup, AutoCloseable {
  /** Half a second between calls to one region: CloudTrail's two a second. */
  static final Duration SPACING = Duration.ofMillis(500);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PAGE = 50;

  private final AwsClients clients;
  private final List<String> regions;
  private final Optional<URI> endpoint;
  private final Map<String, CloudTrailClient> byRegion = new ConcurrentHashMap<>();
  private final Map<String, Long> nextSlot = new ConcurrentHashMap<>();
  private final ScheduledExecutorService calls;

  public AwsActivity(AwsClients clients, List<String> regions, Optional<URI> endpoint) {
    this.clients = clients;
    this.regions = List.copyOf(regions);
    this.endpoint = endpoint;
    AtomicInteger count = new AtomicInteger();
    this.calls =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "stint-cloudtrail-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public List<String> places() {
    return regions;
  }

  @Override
  public CompletableFuture<Page> lookup(Query query) {
    CompletableFuture<Page> out = new CompletableFuture<>();
    calls.schedule(
        () -> {
          try {
            out.complete(call(query));
          } catch (RuntimeException e) {
            out.completeExceptionally(e);
          }
        },
        delay(query.place()),
        TimeUnit.NANOSECONDS);
    return out;
  }

  /** How long until the next call to {@code region} may go, that slot being taken now. */
  private long delay(String region) {
    long now = System.nanoTime();
    long slot = nextSlot.merge(region, now, (next, n) -> Math.max(next, n) + SPACING.toNanos());
    return Math.max(0, slot - now);
  }

  private Page call(Query query) {
    CloudTrailClient client =
        byRegion.computeIfAbsent(query.place(), r -> clients.cloudTrail(r, endpoint));
    LookupEventsResponse r =
        client.lookupEvents(
            b -> {
              b.lookupAttributes(
                      LookupAttribute.builder()
                          .attributeKey(LookupAttributeKey.ACCESS_KEY_ID)
                          .attributeValue(query.accessKeyId())
                          .build())
                  .startTime(query.from())
                  .endTime(query.to())
                  .maxResults(PAGE);
              query.nextToken().ifPresent(b::nextToken);
            });
    List<Call> found = new ArrayList<>();
    for (Event e : r.events()) {
      found.add(call(e, query.place()));
    }
    return new Page(found, Optional.ofNullable(r.nextToken()).filter(t -> !t.isEmpty()));
  }

  /**
   * One event: the summary fields CloudTrail returns beside the record, and from the record itself
   * (a JSON document) the region, source address, error, and for a role assumption the role and the
   * source identity asked for.
   */
  static Call call(Event e, String place) {
    JsonNode record = record(e.cloudTrailEvent());
    String requested = record.path("requestParameters").path("roleArn").asText("");
    String sourceIdentity =
        record
            .path("requestParameters")
            .path("sourceIdentity")
            .asText(
                record
                    .path("userIdentity")
                    .path("sessionContext")
                    .path("sourceIdentity")
                    .asText(""));
    return new Call(
        e.eventId(),
        e.eventTime(),
        Optional.ofNullable(e.eventSource()).orElse(record.path("eventSource").asText("")),
        Optional.ofNullable(e.eventName()).orElse(record.path("eventName").asText("")),
        record.path("awsRegion").asText(place),
        text(record.path("sourceIPAddress")),
        text(record.path("errorCode")),
        Optional.ofNullable(e.accessKeyId())
            .or(() -> text(record.path("userIdentity").path("accessKeyId"))),
        Optional.of(requested).filter(s -> !s.isEmpty()),
        Optional.of(sourceIdentity).filter(s -> !s.isEmpty()));
  }

  private static JsonNode record(String json) {
    if (json == null) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode n = JSON.readTree(json);
      return n == null ? JSON.createObjectNode() : n;
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static Optional<String> text(JsonNode n) {
    return n.isTextual() && !n.asText().isEmpty() ? Optional.of(n.asText()) : Optional.empty();
  }

  @Override
  public void close() {
    calls.shutdownNow();
    byRegion.values().forEach(CloudTrailClient::close);
  }
}
