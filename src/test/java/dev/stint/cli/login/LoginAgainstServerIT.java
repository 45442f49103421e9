package dev.stint.cli.login;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.cli.CliException;
import dev.stint.testing.CliRun;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The login discovery and whoami endpoints of a real server, as the CLI uses them. */
class LoginAgainstServerIT {
  static TestIdp idp;
  static TestServer server;

  @BeforeAll
  static void start() {
    idp = new TestIdp("corp");
    server =
        TestServer.start(
            TestPostgres.migratedDatabase(),
            Map.of(),
            "issuers:\n"
                + idp.issuerYaml("corp")
                + "login: {issuer: corp, client_id: stint, scopes: [openid, email, groups]}\n"
                + "profiles: {}\n");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
  }

  @Test
  void whoamiShowsWhatTheServerVerified(@TempDir Path home) throws Exception {
    CliRun run =
        CliRun.run(
            home,
            Map.of(
                "STINT_SERVER",
                server.uri("/").toString(),
                "STINT_TOKEN",
                idp.token("alice", "eng", "sre")),
            "whoami",
            "-o",
            "json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode me = new ObjectMapper().readTree(run.out());
    assertThat(me.get("subject").asText()).isEqualTo("alice");
    assertThat(me.get("email").asText()).isEqualTo("alice@example.com");
    assertThat(me.get("groups").toString()).contains("sre");
    assertThat(me.get("verified").asBoolean()).isTrue();
  }

  @Test
  void loginFindsTheIdentityProviderThroughTheServer(@TempDir Path home) {
    // The server names the issuer and client; the CLI then runs OIDC discovery against it.
    // mock-oauth2-server has no device endpoint, so the device flow stops there with a clear
    // line — after discovery through the server succeeded.
    CliRun run = CliRun.run(home, Map.of("STINT_SERVER", server.uri("/").toString()), "login");
    assertThat(run.err()).doesNotContain("/v1/login").doesNotContain("--issuer");
    assertThat(run.exitCode()).isEqualTo(CliException.FAILED);
    assertThat(run.err())
        .isEqualTo(
            "stint: identity provider "
                + idp.issuer()
                + " does not offer the device flow: use 'stint login --browser'\n");
  }
}
