package dev.stint.http;

import dev.stint.common.SourceNetworks;
import dev.stint.error.ErrorCode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code /metrics} in the Prometheus text format. With {@code metrics.token} a scraper must send it
 * as a bearer token, from wherever it calls; the comparison is of SHA-256 digests in constant time,
 * so neither the token's bytes nor its length leak through timing. Without a token only callers on
 * this host may scrape: the TCP peer on loopback. A forwarding header only ever refuses: a proxy on
 * this host that relays someone else's request is not a caller on this host.
 */
public final class MetricsRoutes implements RouteModule {
  private static final String BEARER = "Bearer ";
  private static final SourceNetworks LOOPBACK =
      SourceNetworks.parse(List.of("127.0.0.0/8", "::1/128"));

  /**
   * Headers a proxy adds: a service mesh's sidecar reaches stint from loopback, and Envoy (Istio)
   * sets its own headers and the forwarded protocol even when it sets no X-Forwarded-For.
   */
  private static final List<String> FORWARDING =
      List.of(
          "Forwarded",
          "X-Forwarded-For",
          "X-Forwarded-Host",
          "X-Forwarded-Proto",
          "X-Forwarded-Client-Cert",
          "X-Real-IP",
          "Via");

  private static final String ENVOY = "x-envoy-";
  private final PrometheusMeterRegistry registry;
  private final Optional<byte[]> tokenDigest;

  /** Why a caller may not scrape, as the problem it is answered with. */
  record Refusal(ErrorCode code, String detail) {}

  public MetricsRoutes(PrometheusMeterRegistry registry, Optional<String> token) {
    this.registry = registry;
    this.tokenDigest = token.map(MetricsRoutes::sha256);
  }

  @Override
  public void register(Router router) {
    router.get("/metrics").handler(this::authorize);
    // Scraping walks every meter; keep it off the event loop.
    router
        .get("/metrics")
        .blockingHandler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(registry.scrape()),
            false);
  }

  private void authorize(RoutingContext ctx) {
    // The connection's own peer: a request's remote address may be rewritten from forwarding
    // headers where a router allows them, and those are the caller's word.
    Optional<String> peer =
        Optional.ofNullable(ctx.request().connection().remoteAddress())
            .map(SocketAddress::hostAddress);
    Optional<Refusal> refused =
        refusal(
            peer,
            forwarded(ctx.request().headers()),
            Optional.ofNullable(ctx.request().getHeader("Authorization")));
    if (refused.isEmpty()) {
      ctx.next();
      return;
    }
    Problems.send(ctx, refused.get().code(), refused.get().detail());
  }

  /** Why this caller may not scrape; empty when it may. */
  Optional<Refusal> refusal(
      Optional<String> peer, boolean forwarded, Optional<String> authorization) {
    if (tokenDigest.isPresent()) {
      String presented =
          authorization
              .filter(a -> a.startsWith(BEARER))
              .map(a -> a.substring(BEARER.length()))
              .orElse("");
      return MessageDigest.isEqual(tokenDigest.get(), sha256(presented))
          ? Optional.empty()
          : Optional.of(
              new Refusal(ErrorCode.UNAUTHENTICATED, "/metrics needs the configured bearer token"));
    }
    if (forwarded) {
      return Optional.of(
          new Refusal(
              ErrorCode.FORBIDDEN,
              "/metrics answers no request relayed" + " by a proxy unless metrics.token is set"));
    }
    return LOOPBACK.contains(peer)
        ? Optional.empty()
        : Optional.of(
            new Refusal(
                ErrorCode.FORBIDDEN,
                "/metrics answers only callers on this host unless metrics.token is set"));
  }

  static boolean forwarded(MultiMap headers) {
    return FORWARDING.stream().anyMatch(headers::contains)
        || headers.names().stream().anyMatch(h -> h.toLowerCase(Locale.ROOT).startsWith(ENVOY));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
