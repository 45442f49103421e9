package dev.stint.mint.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.mint.ActivityLookup;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
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
 * are made one at a time, {@link #SPACING} apart, on threads of their own: a lookup never holds up
 * an issuance. Beyond the pacing, the SDK retries {@code ThrottlingException} with backoff.
 */
public final class AwsActivity implements ActivityLookup, AutoCloseable {
  /** Between the end of one call to a region and the next: CloudTrail's two a second. */
  static final Duration SPACING = Duration.ofMillis(500);

  private static final int PAGE = 50;

  private final AwsClients clients;
  private final List<String> regions;
  private final Optional<URI> endpoint;
  private final Map<String, CloudTrailClient> byRegion = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final Map<String, Long> nextSlot = new ConcurrentHashMap<>();
  private final ExecutorService calls;

  public AwsActivity(AwsClients clients, List<String> regions, Optional<URI> endpoint) {
    this.clients = clients;
    this.regions = List.copyOf(regions);
    this.endpoint = endpoint;
    AtomicInteger count = new AtomicInteger();
    this.calls =
        Executors.newFixedThreadPool(
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
    calls.execute(
        () -> {
          try {
            CloudTrailClient client =
                byRegion.computeIfAbsent(query.place(), r -> clients.cloudTrail(r, endpoint));
            out.complete(paced(query.place(), () -> call(client, query)));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.completeExceptionally(e);
          } catch (RuntimeException e) {
            out.completeExceptionally(e);
          }
        });
    return out;
  }

  /**
   * Runs {@code call} alone among {@code region}'s calls, no sooner than {@link #SPACING} after the
   * last one ended: each call then reaches AWS at least that long after the one before, however
   * long a client takes to build or an answer to come.
   */
  private Page paced(String region, Supplier<Page> call) throws InterruptedException {
    Object lock = locks.computeIfAbsent(region, r -> new Object());
    synchronized (lock) {
      long wait = nextSlot.getOrDefault(region, 0L) - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      try {
        return call.get();
      } finally {
        nextSlot.put(region, System.nanoTime() + SPACING.toNanos());
      }
    }
  }

  private static Page call(CloudTrailClient client, Query query) {
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
   * One event: the summary fields CloudTrail returns beside the record, and the rest from the
   * record itself (a JSON document).
   */
  static Call call(Event e, String place) {
    JsonNode record = CloudTrailRecords.record(e.cloudTrailEvent());
    return CloudTrailRecords.call(
        record,
        new CloudTrailRecords.Summary(
            e.eventId(),
            e.eventTime(),
            Optional.ofNullable(e.eventSource()).orElse(record.path("eventSource").asText("")),
            Optional.ofNullable(e.eventName()).orElse(record.path("eventName").asText("")),
            record.path("awsRegion").asText(place),
            Optional.ofNullable(e.accessKeyId())));
  }

  @Override
  public void close() {
    calls.shutdownNow();
    byRegion.values().forEach(CloudTrailClient::close);
  }
}
