package dev.stint.demo;

import dev.stint.standin.CloudTrailEvent;
import dev.stint.standin.CloudTrailLookup;
import dev.stint.standin.CloudTrailRules;
import dev.stint.standin.JsonServer;
import dev.stint.standin.LookupRate;
import dev.stint.standin.Refusal;
import dev.stint.standin.SigningKeys;
import dev.stint.standin.StandInReply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local CloudTrail that answers {@code LookupEvents} (the JSON protocol) over the events it was
 * told of ({@link #record}), in the real SDK's shapes, and refuses what CloudTrail refuses ({@link
 * CloudTrailRules}): another operation, a call not signed with a key it knows ({@link #allow},
 * {@link #allowSessionsOf}) or signed wrongly, more than one lookup attribute, a bad page size,
 * time range or token, and a lookup beyond the rate limit in one account and region ({@link
 * LookupRate}).
 *
 * <p>Like CloudTrail it delivers late: an event is found only once {@code deliveryDelay} has passed
 * since its {@code eventTime}, by the stand-in's clock, and no longer once it is older than {@link
 * CloudTrailRules#LOOKBACK}. A lookup sees the account of the key that signed it and the region of
 * the signature's scope, as at AWS.
 */
public final class CloudTrailStandIn implements AutoCloseable {
  /** About how long CloudTrail takes, on average, to make an event available to lookups. */
  public static final Duration TYPICAL_DELIVERY = Duration.ofMinutes(5);

  /** A long demo must not grow without bound: per account and region, the oldest go first. */
  private static final int KEPT_EVENTS = 10_000;

  private final Clock clock;
  private final Duration deliveryDelay;
  private final LookupRate rate = new LookupRate();
  private final AtomicInteger admitted = new AtomicInteger();
  private final AtomicInteger throttled = new AtomicInteger();
  private final Map<String, CloudTrailRules.Credential> credentials = new ConcurrentHashMap<>();
  private volatile SigningKeys sessions = SigningKeys.HOME_ONLY;
  private final Map<String, Deque<CloudTrailEvent>> events = new HashMap<>();
  private final JsonServer server;

  /** A CloudTrail whose events become visible {@code deliveryDelay} after they happen. */
  public CloudTrailStandIn(Clock clock, Duration deliveryDelay) {
    this.clock = clock;
    this.deliveryDelay = deliveryDelay;
    this.server = new JsonServer(call -> CompletableFuture.completedFuture(answer(call)));
  }

  /** The base URL, e.g. {@code http://127.0.0.1:PORT}. */
  public URI uri() {
    return server.uri();
  }

  /** Knows the key {@code accessKeyId}, with its secret, as one of {@code account}'s. */
  public CloudTrailStandIn allow(String accessKeyId, String secretAccessKey, String account) {
    credentials.put(
        accessKeyId, new CloudTrailRules.Credential(accessKeyId, secretAccessKey, account));
    return this;
  }

  /**
   * Knows the session keys {@code sts} minted, each in its role's account: a lookup signed through
   * a broker role in another account sees that account's history.
   */
  public CloudTrailStandIn allowSessionsOf(SigningKeys sts) {
    this.sessions = sts;
    return this;
  }

  /** Records {@code event} in {@code account}, in the event's region. */
  public synchronized CloudTrailStandIn record(String account, CloudTrailEvent event) {
    Deque<CloudTrailEvent> kept =
        events.computeIfAbsent(account + "/" + event.awsRegion(), k -> new ArrayDeque<>());
    kept.addLast(event);
    if (kept.size() > KEPT_EVENTS) {
      kept.removeFirst();
    }
    return this;
  }

  /** Signed lookups let through the rate limit so far (answered, or refused for their content). */
  public int admitted() {
    return admitted.get();
  }

  /** Signed lookups refused so far for the rate limit ({@code ThrottlingException}). */
  public int throttled() {
    return throttled.get();
  }

  private StandInReply answer(JsonServer.Call call) {
    CloudTrailRules.Signer signer =
        CloudTrailRules.signer(
            call,
            key ->
                Optional.ofNullable(credentials.get(key))
                    .or(
                        () ->
                            sessions
                                .session(key)
                                .map(
                                    s ->
                                        new CloudTrailRules.Credential(
                                            key, s.secretAccessKey(), s.account()))));
    if (signer.refusal() != null) {
      return JsonServer.error(signer.refusal());
    }
    Optional<Refusal> throttled = rate.admit(signer.account(), signer.region(), clock.instant());
    if (throttled.isPresent()) {
      this.throttled.incrementAndGet();
      return JsonServer.error(throttled.get());
    }
    admitted.incrementAndGet();
    CloudTrailRules.Parsed parsed = CloudTrailRules.lookup(call.body());
    if (parsed.refusal() != null) {
      return JsonServer.error(parsed.refusal());
    }
    CloudTrailLookup.Page page =
        parsed
            .lookup()
            .page(delivered(signer.account(), signer.region()), signer.account(), signer.region());
    if (page.refusal() != null) {
      return JsonServer.error(page.refusal());
    }
    JsonArray listed = new JsonArray();
    page.events().forEach(e -> listed.add(e.lookupEvent(signer.account())));
    JsonObject answer = new JsonObject().put("Events", listed);
    if (page.nextToken() != null) {
      answer.put("NextToken", page.nextToken());
    }
    return JsonServer.json(answer.encode());
  }

  /** The events of {@code account} in {@code region} that lookups can see now. */
  private synchronized List<CloudTrailEvent> delivered(String account, String region) {
    Instant now = clock.instant();
    Instant oldest = now.minus(CloudTrailRules.LOOKBACK);
    return events.getOrDefault(account + "/" + region, new ArrayDeque<>()).stream()
        .filter(e -> !e.eventTime().plus(deliveryDelay).isAfter(now))
        .filter(e -> !e.eventTime().isBefore(oldest))
        .toList();
  }

  @Override
  public void close() {
    server.close();
  }
}
