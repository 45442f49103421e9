package dev.stint.identity;

import com.nimbusds.jose.jwk.JWKSet;
import dev.stint.common.SecureUrls;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys of each trusted issuer, found through OIDC discovery and cached. An unknown
 * {@code kid} (key rotation) triggers a refetch, at most once per {@link #MIN_REFETCH} per issuer,
 * so forged kids cannot make stint hammer an IdP. Keys older than {@link #MAX_AGE} are refreshed so
 * that keys an IdP withdrew stop being trusted. When the issuer is down, the keys already held keep
 * serving. Fetches are non-blocking (Vert.x WebClient). What the fetches came to is kept per issuer
 * ({@link #reach}) for readiness, which reads it and never fetches.
 */
public final class JwksCache {
  private static final Logger LOG = LoggerFactory.getLogger(JwksCache.class);
  public static final Duration MIN_REFETCH = Duration.ofSeconds(30);
  public static final Duration MAX_AGE = Duration.ofMinutes(10);

  /**
   * While no keys of an issuer are held, the pause after its first failed fetch; it doubles with
   * each failure after, up to {@link #MIN_REFETCH}.
   */
  public static final Duration FIRST_RETRY = Duration.ofSeconds(1);

  private static final long TIMEOUT_MS = 10_000;
  private static final int MAX_BODY = 512 * 1024;

  /** A failure as readiness and the log show it: one line, never a page of an IdP's HTML. */
  private static final int MAX_FAILURE = 200;

  private final WebClient client;
  private final Clock clock;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  public JwksCache(WebClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** Per-issuer state; guarded by its own monitor, never held across I/O. */
  private static final class Entry {
    JWKSet keys;
    Instant fetchedAt;
    Instant lastAttempt;
    Future<JWKSet> inflight;
    Instant failedAt; // the last failed attempt since the last fetch, if any
    String failure;
    int failuresWithoutKeys; // failed attempts in a row while no keys are held

    /**
     * When the next fetch may start. With keys held, one fetch per {@link #MIN_REFETCH}, so tokens
     * naming unknown kids cannot hammer the issuer. With none, every token is refused until one
     * fetch succeeds, so a failure is tried again soon and then less often, from when it failed.
     */
    Instant nextFetch() {
      if (keys != null || failedAt == null) {
        return lastAttempt.plus(MIN_REFETCH);
      }
      int doublings = Math.min(failuresWithoutKeys - 1, 16);
      Duration pause = FIRST_RETRY.multipliedBy(1L << doublings);
      return failedAt.plus(pause.compareTo(MIN_REFETCH) < 0 ? pause : MIN_REFETCH);
    }
  }

  /** What the fetches of the keys of the issuer at {@code issuerUrl} have come to since boot. */
  public IssuerReach reach(String issuerUrl) {
    Entry e = entries.get(issuerUrl);
    if (e == null) {
      return IssuerReach.UNTRIED;
    }
    synchronized (e) {
      return new IssuerReach(
          Optional.ofNullable(e.fetchedAt),
          Optional.ofNullable(e.failedAt),
          Optional.ofNullable(e.failure));
    }
  }

  /**
   * Keys that may hold {@code kid}: cached ones when they do, else (rate permitting) fresh ones.
   */
  public Future<JWKSet> keys(TrustedIssuer issuer, Optional<String> kid) {
    Entry e = entries.computeIfAbsent(issuer.issuerUrl(), url -> new Entry());
    Instant now = clock.instant();
    synchronized (e) {
      boolean known = e.keys != null && kid.map(k -> e.keys.getKeyByKeyId(k) != null).orElse(true);
      boolean fresh = e.fetchedAt != null && now.isBefore(e.fetchedAt.plus(MAX_AGE));
      if (known && fresh) {
        return Future.succeededFuture(e.keys);
      }
      if (e.inflight != null && !e.inflight.isComplete()) {
        return e.inflight;
      }
      if (e.lastAttempt != null && now.isBefore(e.nextFetch())) {
        return e.keys != null
            ? Future.succeededFuture(e.keys)
            : Future.failedFuture(
                new IllegalStateException(
                    "no keys for "
                        + issuer.issuerUrl()
                        + " yet; next fetch after "
                        + e.nextFetch()));
      }
      e.lastAttempt = now;
      e.inflight = fetch(issuer).transform(ar -> settle(issuer, e, ar.result(), ar.cause()));
      return e.inflight;
    }
  }

  private Future<JWKSet> settle(TrustedIssuer issuer, Entry e, JWKSet fetched, Throwable failure) {
    synchronized (e) {
      e.inflight = null;
      if (failure == null) {
        if (e.failedAt != null || e.fetchedAt == null) {
          LOG.info(
              "fetched {} signing key(s) of issuer {} ({})",
              fetched.getKeys().size(),
              issuer.name(),
              issuer.issuerUrl());
        } else {
          LOG.debug("refreshed the signing keys of issuer {}", issuer.name());
        }
        e.keys = fetched;
        e.fetchedAt = clock.instant();
        e.failedAt = null;
        e.failure = null;
        e.failuresWithoutKeys = 0;
        return Future.succeededFuture(fetched);
      }
      String why = oneLine(failure);
      // Said once when an issuer stops answering, or answers otherwise, not at every retry.
      if (why.equals(e.failure)) {
        LOG.debug("still cannot fetch the signing keys of issuer {}: {}", issuer.name(), why);
      } else {
        LOG.warn(
            "cannot fetch the signing keys of issuer {} ({}): {}{}",
            issuer.name(),
            issuer.issuerUrl(),
            why,
            e.keys != null ? "; the keys fetched before keep verifying" : "");
      }
      e.failedAt = clock.instant();
      e.failure = why;
      if (e.keys == null) {
        e.failuresWithoutKeys++;
      }
      return e.keys != null ? Future.succeededFuture(e.keys) : Future.failedFuture(failure);
    }
  }

  private static String oneLine(Throwable failure) {
    String message =
        failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    String line = message.replaceAll("\\s+", " ").strip();
    return line.length() <= MAX_FAILURE ? line : line.substring(0, MAX_FAILURE) + "…";
  }

  private Future<JWKSet> fetch(TrustedIssuer issuer) {
    String base =
        issuer.issuerUrl().endsWith("/")
            ? issuer.issuerUrl().substring(0, issuer.issuerUrl().length() - 1)
            : issuer.issuerUrl();
    return get(base + "/.well-known/openid-configuration")
        .compose(
            body -> {
              JsonObject doc = new JsonObject(body);
              if (!issuer.issuerUrl().equals(doc.getString("issuer"))) {
                return Future.failedFuture(
                    new IllegalStateException(
                        "discovery names issuer '"
                            + doc.getString("issuer")
                            + "', not '"
                            + issuer.issuerUrl()
                            + "'"));
              }
              String jwksUri = doc.getString("jwks_uri");
              if (jwksUri == null || !SecureUrls.httpsOrLoopback(jwksUri)) {
                return Future.failedFuture(
                    new IllegalStateException("discovery has no https jwks_uri: " + jwksUri));
              }
              return get(jwksUri);
            })
        .map(
            body -> {
              try {
                return JWKSet.parse(body).toPublicJWKSet();
              } catch (ParseException ex) {
                throw new IllegalStateException("JWKS is not valid: " + ex.getMessage());
              }
            });
  }

  private Future<String> get(String url) {
    return client
        .getAbs(url)
        .timeout(TIMEOUT_MS)
        .putHeader("Accept", "application/json")
        .send()
        .compose(response -> body(url, response));
  }

  private static Future<String> body(String url, HttpResponse<Buffer> response) {
    if (response.statusCode() != 200) {
      return Future.failedFuture(
          new IllegalStateException(url + " answered " + response.statusCode()));
    }
    Buffer body = response.body();
    if (body == null || body.length() > MAX_BODY) {
      return Future.failedFuture(new IllegalStateException(url + " sent no body or one too large"));
    }
    return Future.succeededFuture(body.toString());
  }
}
