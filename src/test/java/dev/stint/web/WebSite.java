package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.util.Map;

/** A stint server with the web test policy and its IdP, and browsers signed in to it. */
final class WebSite implements AutoCloseable {
  final TestIdp idp;
  final TestServer server;

  private WebSite(TestIdp idp, TestServer server) {
    this.idp = idp;
    this.server = server;
  }

  static WebSite start() {
    return start(TestPostgres.migratedDatabase());
  }

  /** As above, on {@code database}, for a test that also reads or seeds its tables. */
  static WebSite start(DatabaseUrl database) {
    TestIdp idp = new TestIdp("corp");
    return new WebSite(idp, TestServer.start(database, Map.of(), WebTestSetup.policy(idp)));
  }

  /** A browser of its own (its own cookies), signed in as {@code user} with {@code groups}. */
  Browser signedIn(String user, String... groups) {
    Browser b = new Browser(server);
    assertThat(b.signIn(idp, user, groups).statusCode()).isEqualTo(303);
    return b;
  }

  @Override
  public void close() throws Exception {
    server.close();
    idp.close();
  }
}
