package dev.stint.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.ConfigLoader;
import dev.stint.config.StintConfig;
import dev.stint.identity.Directory;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Without {@code directory.scim_token} no route under {@code /scim/v2} is registered at all, so the
 * path answers as any unknown one does; with it, the SCIM routes are there.
 */
class DirectoryWiringTest {
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close();
  }

  Router routed(Map<String, String> env) {
    StintConfig config = ConfigLoader.load(Optional.empty(), env);
    Router router = Router.router(vertx);
    // No pool, audit or access is reached while routes are only registered (and the
    // deprovisioning timer is stopped before it ticks).
    try (DirectoryWiring wiring =
        new DirectoryWiring(
            vertx, null, config, () -> null, null, null, Directory.NONE, Clock.systemUTC())) {
      wiring.routes().register(router);
    }
    return router;
  }

  @Test
  void withoutATokenThereIsNoScimRoute() {
    assertThat(routed(Map.of()).getRoutes()).isEmpty();
  }

  @Test
  void withATokenTheScimRoutesAreMounted() {
    Router router =
        routed(Map.of("STINT_DIRECTORY_SCIM_TOKEN", "a-scim-token-long-enough-0123456789abcdef"));
    assertThat(router.getRoutes()).isNotEmpty();
    assertThat(router.getRoutes().get(0).getPath()).startsWith("/scim/v2");
  }
}
