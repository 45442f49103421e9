package dev.stint.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP server instance (one per event loop; Vert.x shares the listening socket between them).
 * Stopping it lets in-flight requests finish, up to the shutdown timeout.
 */
public final class HttpVerticle extends VerticleBase {
  private final String host;
  private final int port;
  private final List<RouteModule> modules;
  private final Settings settings;
  private HttpServer server;

  /**
   * How long in-flight requests may take to finish on stop, and the guard (shared by every
   * instance, so its connection cap is global) that bounds connections.
   */
  public record Settings(Duration shutdownTimeout, ConnectionGuard guard) {}

  public HttpVerticle(String host, int port, List<RouteModule> modules, Settings settings) {
    this.host = host;
    this.port = port;
    this.modules = List.copyOf(modules);
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    ConnectionGuard guard = settings.guard();
    server =
        vertx.createHttpServer(
            guard
                .apply(new HttpServerOptions())
                .setMaxHeaderSize(32 * 1024)
                // HTTP/2 (h2c upgrades included) defaults to 8 KiB of headers: too little for the
                // 16 KiB bearer tokens stint accepts, which must reach the verifier to get a 401.
                .setInitialSettings(new Http2Settings().setMaxHeaderListSize(32 * 1024))
                // Form fields default to 8 KiB, and the body handler refuses a larger one before
                // any
                // route runs: Slack's interaction payload (one field carrying the whole message)
                // can
                // exceed that, so a field may be as large as a body.
                .setMaxFormAttributeSize(HttpLimits.MAX_BODY_BYTES)
                .setCompressionSupported(false));
    Router router = router(guard);
    return server
        .connectionHandler(connection -> guard.accepted(vertx, connection))
        .requestHandler(
            request -> {
              guard.requestStarted(request);
              router.handle(request);
            })
        .listen(port, host);
  }

  @Override
  public Future<?> stop() {
    return server == null
        ? Future.succeededFuture()
        : server.shutdown(settings.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The port actually bound (useful when configured with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private Router router(ConnectionGuard guard) {
    Router router = Router.router(vertx);
    router
        .route()
        .handler(
            ctx -> {
              ctx.addEndHandler(done -> guard.answered(ctx.request()));
              ctx.next();
            });
    router.route().handler(RequestBasics::handle);
    BodyHandler bodies = BodyHandler.create(false).setBodyLimit(HttpLimits.MAX_BODY_BYTES);
    // The ingest and SCIM read their own bodies, after their tokens: no caller without one gets a
    // body buffered.
    router
        .route()
        .handler(
            ctx -> {
              String path = ctx.normalizedPath();
              if (IngestRoutes.PATH.equals(path) || ScimRoutes.readsOwnBody(path)) {
                ctx.next();
              } else {
                bodies.handle(ctx);
              }
            });
    router.route().failureHandler(ErrorMapper::handle);
    for (int status : new int[] {400, 404, 405, 413, 415}) {
      router.errorHandler(status, ctx -> ErrorMapper.byStatus(ctx, status));
    }
    router.errorHandler(500, ErrorMapper::handle);
    modules.forEach(m -> m.register(router));
    return router;
  }
}
