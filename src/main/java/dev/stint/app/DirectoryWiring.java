package dev.stint.app;

import dev.stint.audit.AuditLog;
import dev.stint.config.StintConfig;
import dev.stint.directory.Scim;
import dev.stint.http.RouteModule;
import dev.stint.http.ScimRoutes;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.Optional;

/**
 * The directory an identity provider pushes over SCIM, when {@code directory.scim_token} is set
 * (without it {@code /scim/v2} does not exist).
 */
final class DirectoryWiring {
  private final Vertx vertx;
  private final Optional<Scim> scim;

  DirectoryWiring(Vertx vertx, Pool pool, StintConfig config, AuditLog audit, Clock clock) {
    this.vertx = vertx;
    this.scim =
        config
            .directory()
            .scimToken()
            .map(
                token ->
                    new Scim(pool, audit, new Scim.Settings(token, config.publicUrl()), clock));
  }

  RouteModule routes() {
    return router -> scim.ifPresent(s -> new ScimRoutes(vertx, s).register(router));
  }

  /** Calls to /scim/v2 refused for their bearer token: not audited, so counted here. */
  void publish(MeterRegistry registry) {
    scim.ifPresent(
        s ->
            FunctionCounter.builder(
                    "stint_directory_unauthenticated_calls", s, Scim::unauthenticated)
                .description("Calls to /scim/v2 refused for their bearer token")
                .register(registry));
  }
}
