package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.identity.JwksCache;
import dev.stint.identity.OidcTokenVerifier;
import dev.stint.identity.Principal;
import dev.stint.policy.Policy;
import dev.stint.testing.Patience;
import dev.stint.testing.PolicyFixtures;
import dev.stint.testing.TestIdp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web sign-in verifies ID tokens with the real verifier and JWKS, addressed to the web client:
 * a token for the API audience (or any other client) does not open a session. (The sign-in flow
 * itself cannot produce one: the provider addresses ID tokens to the client that redeems the code,
 * so this is checked at the verifier the sign-in uses.)
 */
class WebTokenAudienceIT {
  static TestIdp idp;
  static Vertx vertx;
  static OidcTokenVerifier verifier;

  @BeforeAll
  static void start() {
    idp = new TestIdp("corp");
    vertx = Vertx.vertx();
    Policy policy = PolicyFixtures.load(WebTestSetup.policy(idp));
    verifier =
        new OidcTokenVerifier(
            () -> WebIssuer.of(policy).map(List::of).orElseThrow(),
            new JwksCache(WebClient.create(vertx), Clock.systemUTC()),
            Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    vertx.close();
    idp.close();
  }

  private static Future<Principal> verify(String token) {
    return verifier.verify(token);
  }

  @Test
  void anIdTokenForTheWebClientIsAcceptedWithItsGroups() throws Exception {
    Principal p =
        verify(
                idp.tokenFor(
                    WebTestSetup.CLIENT,
                    "alice",
                    Map.of("email", "alice@example.com", "groups", List.of("sre"))))
            .toCompletionStage()
            .toCompletableFuture()
            .get(Patience.seconds(10), TimeUnit.MILLISECONDS);
    assertThat(p.subject()).isEqualTo("alice");
    assertThat(p.groups()).containsExactly("sre");
    assertThat(p.issuerName()).isEqualTo("corp");
  }

  @Test
  void tokensForTheApiOrAnotherClientAreRefused() {
    for (String audience : List.of(TestIdp.AUDIENCE, "stint-cli", "someone-else")) {
      Future<Principal> result = verify(idp.tokenFor(audience, "alice", Map.of()));
      assertThat(result.toCompletionStage().toCompletableFuture())
          .as(audience)
          .failsWithin(10, TimeUnit.SECONDS);
    }
  }
}
