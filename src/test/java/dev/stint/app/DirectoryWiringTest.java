package dev.stint.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.config.ConfigLoader;
import dev.stint.config.StintConfig;
import dev.stint.directory.DirectoryView;
import dev.stint.people.PeopleSeen;
import dev.stint.policy.Policy;
import dev.stint.testing.PolicyFixtures;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Without {@code directory.scim_token} no route under {@code /scim/v2} is registered at all, so the
 * path answers as any unknown one does; with it, the SCIM routes are there, but only when {@code
 * directory.issuer} names a people issuer of the policy: SCIM that could match nobody would let
 * every leaver keep their access.
 */
class DirectoryWiringTest {
  static final String TOKEN = "a-scim-token-long-enough-0123456789abcdef";
  static final Policy POLICY =
      PolicyFixtures.load(
          """
      issuers:
        corp: {issuer: https://login.example.com, audience: stint}
        ci: {issuer: https://ci.example.com, audience: stint, use: ci}
      profiles:
        prod:
          aws: {role_arn: "arn:aws:iam::111122223333:role/prod", mode: assume_role}
          max_duration: 1h
          requesters: 'true'
          approval: {count: 1, approvers: 'true'}
      """);
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close();
  }

  Router routed(Map<String, String> env) {
    StintConfig config = ConfigLoader.load(Optional.empty(), env);
    Router router = Router.router(vertx);
    // No pool, audit or access is reached while routes are only registered (and the
    // deprovisioning timer is stopped before it ticks); the view is never started.
    try (DirectoryWiring wiring =
        new DirectoryWiring(
            vertx,
            null,
            config,
            new DirectoryWiring.Needs(
                () -> POLICY,
                null,
                null,
                new DirectoryView(vertx, null, null, () -> true, Clock.systemUTC()),
                new PeopleSeen(null, Clock.systemUTC())),
            Clock.systemUTC())) {
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
        routed(Map.of("STINT_DIRECTORY_SCIM_TOKEN", TOKEN, "STINT_DIRECTORY_ISSUER", "corp"));
    assertThat(router.getRoutes()).isNotEmpty();
    assertThat(router.getRoutes().get(0).getPath()).startsWith("/scim/v2");
  }

  @Test
  void aTokenWithoutAPeopleIssuerToMatchUsersToRefusesToStart() {
    for (Map<String, String> env :
        List.of(
            Map.of("STINT_DIRECTORY_SCIM_TOKEN", TOKEN),
            Map.of("STINT_DIRECTORY_SCIM_TOKEN", TOKEN, "STINT_DIRECTORY_ISSUER", "nope"),
            Map.of("STINT_DIRECTORY_SCIM_TOKEN", TOKEN, "STINT_DIRECTORY_ISSUER", "ci"))) {
      assertThatThrownBy(() -> routed(env))
          .as(env.toString())
          .isInstanceOf(StartupException.class)
          .hasMessageContaining("directory.issuer names no issuer of the policy for people");
    }
  }
}
