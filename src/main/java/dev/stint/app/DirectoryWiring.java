package dev.stint.app;

import dev.stint.audit.AuditLog;
import dev.stint.config.StintConfig;
import dev.stint.directory.Scim;
import dev.stint.http.RouteModule;
import dev.stint.http.ScimRoutes;
import dev.stint.policy.IssuerConfig;
import dev.stint.policy.Policy;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The directory an identity provider pushes over SCIM, when {@code directory.scim_token} is set
 * (without it {@code /scim/v2} does not exist).
 */
final class DirectoryWiring {
  private final Vertx vertx;
  private final Optional<Scim> scim;

  DirectoryWiring(
      Vertx vertx,
      Pool pool,
      StintConfig config,
      Supplier<Policy> policy,
      AuditLog audit,
      Clock clock) {
    this.vertx = vertx;
    Supplier<Optional<String>> issuerUrl =
        () ->
            config
                .directory()
                .issuer()
                .flatMap(name -> policy.get().issuer(name))
                .map(IssuerConfig::issuerUrl);
    this.scim =
        config
            .directory()
            .scimToken()
            .map(
                token ->
                    new Scim(
                        pool,
                        audit,
                        new Scim.Settings(token, config.publicUrl(), issuerUrl),
                        clock));
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
