package dev.stint.http;

import dev.stint.error.ErrorCode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * {@code /metrics} in the Prometheus text format. With {@code metrics.token} a scraper must send
 * it as a bearer token; the comparison is of SHA-256 digests in constant time, so neither the
 * token's bytes nor its length leak through timing.
 */
public final class MetricsRoutes implements RouteModule {
  private static final String BEARER = "Bearer ";
  private final PrometheusMeterRegistry registry;
  private final Optional<byte[]> tokenDigest;

  public MetricsRoutes(PrometheusMeterRegistry registry, Optional<String> token) {
    this.registry = registry;
    this.tokenDigest = token.map(MetricsRoutes::sha256);
  }

  @Override
  public void register(Router router) {
    router.get("/metrics").handler(this::authorize);
    // Scraping walks every meter; keep it off the event loop.
    router.get("/metrics").blockingHandler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(registry.scrape()), false);
  }

  private void authorize(RoutingContext ctx) {
    if (tokenDigest.isEmpty()) {
      ctx.next();
      return;
    }
    String auth = ctx.request().getHeader("Authorization");
    String presented = auth != null && auth.startsWith(BEARER) ? auth.substring(BEARER.length())
        : "";
    if (MessageDigest.isEqual(tokenDigest.get(), sha256(presented))) {
      ctx.next();
      return;
    }
    Problems.send(ctx, ErrorCode.UNAUTHENTICATED, "/metrics needs the configured bearer token");
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
