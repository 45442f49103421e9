package dev.stint.mint.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.ClientAssertionCredential;
import dev.stint.mint.ActivityLookup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What an Entra token did at Azure Resource Manager, from the Activity Log of each subscription
 * stint reads ({@code GET /subscriptions/{id}/providers/Microsoft.Insights/eventtypes/management/
 * values}), as stint's own reader app (assertion subject {@value #SUBJECT}, role {@code Monitoring
 * Reader}).
 *
 * <p>The Activity Log cannot be asked for one caller's events: its {@code $filter} takes a time
 * range, narrowed at most by resource group, resource, provider or correlation id. So each lookup
 * reads every event of the subscription in the window, page by page, and keeps those whose token
 * claims carry the credential's {@code uti} ({@link ActivityLogEvents}). Only write, delete and
 * action operations reach the Activity Log (reads do not), and only those made through Resource
 * Manager (data-plane calls are in each resource's own logs).
 *
 * <p>Calls to a subscription are made one at a time, {@link #SPACING} apart (Azure's read limits),
 * on threads of their own; a 429 is waited out as its {@code Retry-After} says, up to {@link
 * #THROTTLED_TRIES} times and {@link #LONGEST_WAIT} each, after which the lookup fails and is due
 * again.
 */
public final class AzureActivity implements ActivityLookup, AutoCloseable {
  /** The subject of the assertion stint presents for its reader token. */
  public static final String SUBJECT = "stint:activity";

  /** Between the end of one call to a subscription and the next. */
  static final Duration SPACING = Duration.ofMillis(200);

  /** How often one page is asked for again after a 429 before the lookup fails. */
  public static final int THROTTLED_TRIES = 3;

  /** A longer Retry-After fails the lookup at once: it is due again a round later. */
  static final Duration LONGEST_WAIT = Duration.ofSeconds(60);

  /** A held reader token with less left than this is renewed before a call. */
  static final Duration RENEW_BEFORE = Duration.ofMinutes(5);

  private final AzureActivitySettings reader;
  private final AzureSettings entra;
  private final Clock clock;
  private final ClientAssertionCredential credential;
  private final HttpClient http;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final Map<String, Long> nextSlot = new ConcurrentHashMap<>();
  private final Duration spacing;
  private final ExecutorService calls;
  private AccessToken readerToken;

  /**
   * @param clock the wall clock the reader token's expiry is read against (Entra's time)
   */
  public AzureActivity(
      AzureActivitySettings reader, AzureSettings entra, AzureAssertions assertions, Clock clock) {
    this(reader, entra, assertions, clock, SPACING);
  }

  /**
   * @param spacing between the end of one call to a subscription and the next ({@link #SPACING}
   *     against Azure; a stand-in that keeps no rate may be read faster)
   */
  public AzureActivity(
      AzureActivitySettings reader,
      AzureSettings entra,
      AzureAssertions assertions,
      Clock clock,
      Duration spacing) {
    this.spacing = spacing;
    this.reader = reader;
    this.clock = clock;
    this.entra = entra;
    this.credential =
        EntraCredentials.credential(
            entra,
            EntraCredentials.http(entra),
            new EntraCredentials.EntraApp(reader.tenantId(), reader.clientId()),
            () -> assertions.assertion(AzureMinter.AUDIENCE, SUBJECT, Map.of()));
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(entra.timeout())
            .followRedirects(HttpClient.Redirect.NEVER);
    entra.trust().ifPresent(builder::sslContext);
    this.http = builder.build();
    AtomicInteger count = new AtomicInteger();
    this.calls =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "stint-activity-log-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public List<String> places() {
    return reader.subscriptions();
  }

  @Override
  public CompletableFuture<Page> lookup(Query query) {
    CompletableFuture<Page> out = new CompletableFuture<>();
    calls.execute(
        () -> {
          try {
            out.complete(lookupNow(query));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.completeExceptionally(e);
          } catch (RuntimeException | Error e) {
            // An Error too: a future left incomplete would hold up the replica's rounds for good.
            out.completeExceptionally(e);
          }
        });
    // A page whose body never ends, or a thread that never comes: the lookup fails, due again.
    return out.orTimeout(LOOKUP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * How long one page may take in all, its waits for Retry-After included: the request's own
   * timeout bounds only the answer's headers.
   */
  static final Duration LOOKUP_DEADLINE = Duration.ofMinutes(4);

  /** One page of the subscription's events in the window, the credential's kept. */
  private Page lookupNow(Query query) throws InterruptedException {
    ActivityLogPages.Cursor cursor =
        query
            .nextToken()
            .map(t -> ActivityLogPages.Cursor.decode(t, reader.management()))
            .orElseGet(() -> ActivityLogPages.first(reader.management(), query));
    String body = fetch(query.place(), cursor.url());
    return ActivityLogEvents.page(body, query.accessKeyId(), query.place(), cursor);
  }

  /** GET {@code url} as the reader, paced, with a 429 waited out as Azure asks. */
  private String fetch(String subscription, URI url) throws InterruptedException {
    for (int tries = 1; ; tries++) {
      HttpResponse<String> response = paced(subscription, url);
      if (response.statusCode() == 200) {
        return response.body();
      }
      if (response.statusCode() != 429 || tries > THROTTLED_TRIES) {
        throw ActivityLogEvents.refusal(subscription, response.statusCode(), response.body());
      }
      Duration wait =
          ActivityLogPages.retryAfter(
              response.headers().firstValue("Retry-After"), clock.instant());
      if (wait.compareTo(LONGEST_WAIT) > 0) {
        throw ActivityLogEvents.refusal(subscription, 429, response.body());
      }
      TimeUnit.MILLISECONDS.sleep(wait.toMillis());
    }
  }

  /**
   * The call alone among {@code subscription}'s, no sooner than {@code spacing} after the last one
   * ended.
   */
  private HttpResponse<String> paced(String subscription, URI url) throws InterruptedException {
    Object lock = locks.computeIfAbsent(subscription, s -> new Object());
    synchronized (lock) {
      long wait = nextSlot.getOrDefault(subscription, 0L) - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      try {
        return send(url);
      } finally {
        nextSlot.put(subscription, System.nanoTime() + spacing.toNanos());
      }
    }
  }

  private HttpResponse<String> send(URI url) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(entra.timeout())
            .header("Authorization", "Bearer " + token())
            .header("Accept", "application/json")
            .GET()
            .build();
    // The request's own timeout bounds the answer's headers only; a body that stalls after them is
    // bounded here, the whole exchange in twice that time.
    CompletableFuture<HttpResponse<String>> answer =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    try {
      return answer.get(entra.timeout().multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw new IllegalStateException("the Activity Log did not answer in time");
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "the Activity Log could not be reached: " + e.getCause().getClass().getSimpleName());
    }
  }

  /**
   * The reader's token: the one held while it has more than {@link #RENEW_BEFORE} to live, else a
   * fresh one (held only in memory, never logged).
   */
  private synchronized String token() {
    AccessToken held = readerToken;
    if (held != null
        && held.getExpiresAt().toInstant().isAfter(clock.instant().plus(RENEW_BEFORE))) {
      return held.getToken();
    }
    AccessToken token;
    try {
      token =
          credential
              .getToken(new TokenRequestContext().addScopes(reader.scope()))
              .block(entra.timeout());
    } catch (RuntimeException e) {
      AzureErrors.Upstream upstream = AzureErrors.upstream(e);
      throw new IllegalStateException(
          "Entra gave the Activity Log reader no token: http_status="
              + upstream.httpStatus()
              + " error="
              + upstream.error()
              + " aadsts="
              + upstream.aadsts()
              + " exception="
              + e.getClass().getSimpleName());
    }
    if (token == null) {
      throw new IllegalStateException("Entra answered no token for the Activity Log reader");
    }
    readerToken = token;
    return token.getToken();
  }

  @Override
  public void close() {
    calls.shutdownNow();
  }
}
