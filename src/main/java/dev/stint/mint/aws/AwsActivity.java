package dev.stint.mint.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.error.ErrorCode;
import dev.stint.mint.ActivityLookup;
import dev.stint.mint.MintException;
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
 * key id, region by region, in the account of the role it was minted on (each account keeps its own
 * history), with the identity that reaches that account ({@link AwsAccounts}: stint's own, or the
 * account's broker role), which needs {@code cloudtrail:LookupEvents}.
 *
 * <p>CloudTrail answers at most two lookups a second per account and region, so calls to an
 * account's region are made one at a time, {@link #SPACING} apart, on threads of their own: a
 * lookup never holds up an issuance. Beyond the pacing, the SDK retries {@code ThrottlingException}
 * with backoff.
 */
public final class AwsActivity implements ActivityLookup, AutoCloseable {
  /** Between the end of one call to a region and the next: CloudTrail's two a second. */
  static final Duration SPACING = Duration.ofMillis(500);

  private static final int PAGE = 50;

  private final AwsClients clients;
  private final List<String> regions;
  private final Optional<URI> endpoint;
  private final Map<String, CloudTrailClient> byPlace = new ConcurrentHashMap<>();
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
            AwsAccounts.Reach reach = reach(query);
            String key = paceKey(reach.account(), query.place());
            CloudTrailClient client =
                byPlace.computeIfAbsent(
                    key, k -> clients.cloudTrail(reach, query.place(), endpoint));
            out.complete(paced(key, () -> call(client, query)));
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
   * The account whose history holds the credential's calls, and how it is reached; fails for an
   * account out of reach (no broker role), so the credential is looked up again later, never
   * counted unused on the evidence of another account's history.
   */
  private AwsAccounts.Reach reach(Query query) {
    AwsAccounts.Reach reach = clients.accounts().reachNow(query.target());
    if (reach instanceof AwsAccounts.Reach.Unreachable u) {
      throw AwsAccounts.unreachable(
          u,
          reason ->
              new MintException(
                  ErrorCode.INTERNAL,
                  "cannot look up AWS activity of " + query.accessKeyId() + ": " + reason,
                  false,
                  null));
    }
    return reach;
  }

  /** What CloudTrail's rate limit counts calls by: the account and the region. */
  static String paceKey(String account, String region) {
    return account + "/" + region;
  }

  /**
   * Runs {@code call} alone among the calls of one {@link #paceKey}, no sooner than {@link
   * #SPACING} after the last one ended: each call then reaches AWS at least that long after the one
   * before, however long a client takes to build or an answer to come.
   */
  private Page paced(String key, Supplier<Page> call) throws InterruptedException {
    Object lock = locks.computeIfAbsent(key, r -> new Object());
    synchronized (lock) {
      long wait = nextSlot.getOrDefault(key, 0L) - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      try {
        return call.get();
      } finally {
        nextSlot.put(key, System.nanoTime() + SPACING.toNanos());
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
    byPlace.values().forEach(CloudTrailClient::close);
  }
}
