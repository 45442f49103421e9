package dev.stint.app;

import com.nimbusds.jose.jwk.JWKSet;
import dev.stint.http.ReadinessCheck;
import dev.stint.identity.IssuerReach;
import dev.stint.identity.IssuerReadiness;
import dev.stint.identity.JwksCache;
import dev.stint.identity.TrustedIssuer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the reach of the policy's issuers known before anyone signs in: asks the JWKS cache for
 * each issuer's keys at boot and every {@link #PERIOD} (the cache fetches only what is missing or
 * due, at most once per {@link JwksCache#MIN_REFETCH} per issuer), and says in the log, at boot and
 * whenever it changes, which issuers cannot be reached and what to configure. {@code /readyz}'s
 * {@code issuers} check reads what the fetches came to ({@link IssuerReadiness}); it never fetches.
 */
final class IssuerWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IssuerWatch.class);

  static final Duration PERIOD = Duration.ofSeconds(10);

  /**
   * How long the boot waits for the first round, so that its log line comes before the server
   * listens; an IdP slower than this delays nothing but that line.
   */
  static final Duration BOOT_WAIT = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final JwksCache keys;
  private final Supplier<? extends Collection<? extends TrustedIssuer>> issuers;
  private final Path policiesDir;
  private String said; // the issuers' states when the verdict was last logged
  private long timer = -1;

  IssuerWatch(
      Vertx vertx,
      JwksCache keys,
      Supplier<? extends Collection<? extends TrustedIssuer>> issuers,
      Path policiesDir) {
    this.vertx = vertx;
    this.keys = keys;
    this.issuers = issuers;
    this.policiesDir = policiesDir;
  }

  /** Asks every issuer once, then every {@link #PERIOD}; answers when the first round is done. */
  Future<Void> start() {
    Future<Void> first = round();
    timer = vertx.setPeriodic(PERIOD.toMillis(), t -> round());
    return first;
  }

  /** Waits for the first round at most {@link #BOOT_WAIT}: its log line then precedes listening. */
  void awaitBoot(Future<Void> first) {
    try {
      first
          .toCompletionStage()
          .toCompletableFuture()
          .get(BOOT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.info(
          "still reaching the policy's issuers after {} s; /readyz says which until they answer",
          BOOT_WAIT.toSeconds());
    } catch (ExecutionException e) {
      LOG.warn("the first round of issuer checks failed: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code issuers}: not ready while nobody can be signed in; warnings for the rest. */
  ReadinessCheck readiness() {
    return new ReadinessCheck(
        "issuers",
        () -> {
          IssuerReadiness verdict = verdict(IssuerReadiness.Audience.PUBLIC);
          return verdict.ready()
              ? Future.succeededFuture()
              : Future.failedFuture(verdict.notReady().orElseThrow());
        },
        () -> verdict(IssuerReadiness.Audience.PUBLIC).warning());
  }

  IssuerReadiness verdict(IssuerReadiness.Audience audience) {
    return IssuerReadiness.judge(issuers.get(), keys::reach, audience);
  }

  private Future<Void> round() {
    List<Future<JWKSet>> asks = new ArrayList<>();
    for (TrustedIssuer issuer : issuers.get()) {
      asks.add(keys.keys(issuer, Optional.empty()).otherwiseEmpty());
    }
    return Future.join(asks)
        .transform(
            done -> {
              say(verdict(IssuerReadiness.Audience.LOG));
              return Future.succeededFuture();
            });
  }

  /**
   * Logs the verdict when an issuer's state changed since the last one said (reached or not, its
   * last fetch failed or not), not at every round: the times in the verdict's text move each time.
   */
  private synchronized void say(IssuerReadiness verdict) {
    StringBuilder states = new StringBuilder();
    for (TrustedIssuer issuer : issuers.get()) {
      IssuerReach reach = keys.reach(issuer.issuerUrl());
      states.append(issuer.issuerUrl()).append(reach.held()).append(reach.failing()).append(' ');
    }
    String now = states.toString();
    if (now.equals(said)) {
      return;
    }
    said = now;
    if (verdict.notReady().isPresent()) {
      LOG.error(
          "nobody can sign in: {}. /readyz answers 503 until one can be reached. Set each issuer's"
              + " URL under issuers: in {} to your identity provider, and the client ids of login:"
              + " and web: to its clients (docs/configuration.md, \"Your identity provider\")",
          verdict.notReady().get(),
          policiesDir.toAbsolutePath().normalize());
    } else if (verdict.warning().isPresent()) {
      LOG.warn(
          "issuers: {} (the policy's issuers: are in {}; docs/operations.md, \"Readiness\")",
          verdict.warning().get(),
          policiesDir.toAbsolutePath().normalize());
    } else {
      LOG.info(
          "every issuer of the policy answers: {}",
          String.join(", ", issuers.get().stream().map(TrustedIssuer::name).toList()));
    }
  }

  @Override
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
