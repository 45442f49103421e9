package dev.stint.mint.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.error.ErrorCode;
import dev.stint.mint.ActivityLookup;
import dev.stint.mint.ActivityLookup.By;
import dev.stint.mint.CallSlots;
import dev.stint.mint.MintException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;

/**
 * What an AWS credential did, from CloudTrail's event history: {@code LookupEvents} by its access
 * key id (or, for an Identity Center grant's portal sessions, by {@code Username}), region by
 * region, in the account of the role it was minted on (each account keeps its own history), with
 * the identity that reaches that account ({@link AwsAccounts}: stint's own, or the account's broker
 * role), which needs {@code cloudtrail:LookupEvents}.
 *
 * <p>CloudTrail answers at most two lookups a second per account and region, counted over every
 * caller of the account. So each call first takes its turn from {@link CallSlots}, shared by every
 * replica, under {@link #paceKey}, at least {@link TurnCheck#SPACING} after the turn before it, and
 * waits for it on a thread of its own: a lookup never holds up an issuance, nor an event loop. A
 * call whose turn is too far ahead, or that cannot get one (the database out of reach), fails
 * without calling, and its credential is looked up again later. Beyond the turns, the SDK retries
 * {@code ThrottlingException} with backoff: another tool looking up in the same account spends the
 * same allowance.
 */
public final class AwsActivity implements ActivityLookup, AutoCloseable {
  /**
   * How long a call waits for the database to hand out its turn: a turn that comes back later is
   * wasted, and nothing else.
   */
  static final Duration TURN_ANSWER = Duration.ofSeconds(10);

  /**
   * The turn of a call to a region this process has not had an answer from yet: its first call
   * loads the SDK's classes and opens a connection, before and after it leaves, and can reach
   * CloudTrail well after its turn (on a cold test JVM, further than the spacing itself); the turn
   * after it waits until it has surely arrived. Short enough that each replica's first call and the
   * call after it still fit within the turns {@link CallSlots} lets a caller wait for.
   */
  static final Duration FIRST_SPACING = Duration.ofSeconds(2);

  /** Turns a call may take when it would leave late for one (see {@link TurnCheck}). */
  static final int TURNS = 3;

  private static final int PAGE = 50;

  private final AwsClients clients;
  private final List<String> regions;
  private final Optional<URI> endpoint;

  /** Clients by {@link #paceKey}: one per account and region. */
  private final Map<String, CloudTrailClient> byPlace = new ConcurrentHashMap<>();

  private final CallSlots slots;

  /** The pace keys whose CloudTrail has answered a call of this process (its client warmed). */
  private final Set<String> answered = ConcurrentHashMap.newKeySet();

  private final Map<String, Object> firstCalls = new ConcurrentHashMap<>();

  private final ExecutorService calls;

  /**
   * @param slots the turns every replica shares (the calls to a region are paced across them)
   */
  public AwsActivity(
      AwsClients clients, List<String> regions, Optional<URI> endpoint, CallSlots slots) {
    this.clients = clients;
    this.slots = slots;
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

  /** What CloudTrail's rate limit counts calls by, and so the turns: the account and the region. */
  static String paceKey(String account, String region) {
    return "cloudtrail/" + account + "/" + region;
  }

  @Override
  public CompletableFuture<Page> lookup(Query query) {
    CompletableFuture<Page> out = new CompletableFuture<>();
    calls.execute(
        () -> {
          try {
            AwsAccounts.Reach reach = reach(query);
            // The region names the partition, so the account number is enough for the turns.
            String key = paceKey(reach.account().id(), query.place());
            CloudTrailClient client =
                byPlace.computeIfAbsent(
                    key, k -> clients.cloudTrail(reach, query.place(), endpoint));
            out.complete(paced(key, client, query));
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

  /**
   * The call, on a turn of its own under {@code key}. Until CloudTrail in the account's region has
   * answered this process, one call at a time goes, on a turn {@link #FIRST_SPACING} long, and the
   * others wait for its answer.
   */
  private Page paced(String key, CloudTrailClient client, Query query) throws InterruptedException {
    if (!answered.contains(key)) {
      synchronized (firstCalls.computeIfAbsent(key, k -> new Object())) {
        if (!answered.contains(key)) {
          return onItsTurn(key, client, query, FIRST_SPACING);
        }
      }
    }
    return onItsTurn(key, client, query, TurnCheck.SPACING);
  }

  /**
   * The call on a turn {@code spacing} long; again on a new turn, up to {@link #TURNS} in all, when
   * it would have left late for one, so it never reaches CloudTrail on another's turn.
   */
  private Page onItsTurn(String key, CloudTrailClient client, Query query, Duration spacing)
      throws InterruptedException {
    for (int turn = 1; ; turn++) {
      long at = awaitTurn(key, spacing);
      try {
        Page page = call(client, query, at);
        answered.add(key);
        return page;
      } catch (RuntimeException e) {
        if (!missed(e)) {
          answered.add(key);
          throw e;
        }
        if (turn == TURNS) {
          throw e;
        }
      }
    }
  }

  private static boolean missed(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TurnCheck.Missed) {
        return true;
      }
    }
    return false;
  }

  /**
   * Takes a turn under {@code key}, {@code spacing} long, and waits for it; answers when it came,
   * by {@link System#nanoTime()}.
   */
  private long awaitTurn(String key, Duration spacing) throws InterruptedException {
    Optional<Duration> wait;
    try {
      wait = slots.reserve(key, spacing).get(TURN_ANSWER.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new NoTurn("no turn to call CloudTrail: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new NoTurn("no turn to call CloudTrail in " + TURN_ANSWER, e);
    }
    if (wait.isEmpty()) {
      throw new NoTurn("CloudTrail's turns for " + key + " are taken too far ahead", null);
    }
    long at = System.nanoTime() + wait.get().toNanos();
    TimeUnit.NANOSECONDS.sleep(wait.get().toNanos());
    return at;
  }

  /** A lookup not made for want of a turn: its credential is looked up again later. */
  static final class NoTurn extends RuntimeException {
    NoTurn(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static Page call(CloudTrailClient client, Query query, long turn) {
    LookupEventsResponse r =
        client.lookupEvents(
            b -> {
              b.overrideConfiguration(o -> o.putExecutionAttribute(TurnCheck.TURN, turn));
              b.lookupAttributes(
                      LookupAttribute.builder()
                          .attributeKey(
                              query.by() == By.USER_NAME
                                  ? LookupAttributeKey.USERNAME
                                  : LookupAttributeKey.ACCESS_KEY_ID)
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
