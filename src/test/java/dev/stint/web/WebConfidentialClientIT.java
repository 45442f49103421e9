package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The code exchange the server makes, as the IdP receives it: PKCE verifier, redirect URI and, when
 * {@code web.client_secret} is configured, the client secret (sent nowhere else).
 */
class WebConfidentialClientIT {
  static final String SECRET = "web-client-secret-for-tests-only";
  static TestIdp idp;
  static TestServer server;

  @BeforeAll
  static void start() {
    idp = new TestIdp("corp");
    server =
        TestServer.start(
            TestPostgres.migratedDatabase(),
            Map.of("STINT_WEB_CLIENT_SECRET", SECRET),
            WebTestSetup.policy(idp));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
  }

  @Test
  void theCodeExchangeCarriesTheVerifierAndTheSecret() {
    idp.tokenRequestBodies();
    Browser b = new Browser(server);
    assertThat(b.signIn(idp, "alice", "sre").statusCode()).isEqualTo(303);
    List<String> bodies = idp.tokenRequestBodies();
    assertThat(bodies).hasSize(1);
    assertThat(bodies.get(0))
        .contains("grant_type=authorization_code")
        .contains("client_id=stint-web")
        .contains("code_verifier=")
        .contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fui%2Fcallback")
        .contains("client_secret=" + SECRET);
    // Nothing the browser sees carries it.
    assertThat(b.get("/ui").body()).doesNotContain(SECRET);
  }
}
