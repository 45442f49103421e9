package dev.stint.cli.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stored login in use: refresh before expiry, "login expired" when it cannot, logout with
 * revocation, whoami against a fake stint ({@link FakeStint}) with and without /v1/whoami, and
 * completion, which never refreshes.
 */
class WhoamiLogoutTest {
  static final String WHOAMI =
      "{\"issuer\":\"corp\",\"issuer_url\":\"https://login.example.com\","
          + "\"subject\":\"alice\",\"email\":\"alice@example.com\",\"groups\":[\"sre\",\"eng\"],"
          + "\"groups_from\":\"directory\",\"expires_at\":\"2030-01-01T00:00:00Z\"}";

  @TempDir Path home;
  private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  private DeviceIdp idp;
  private FakeStint stint;

  @BeforeEach
  void start() throws Exception {
    idp = new DeviceIdp(clock);
    stint = new FakeStint(Map.of("/v1/whoami", WHOAMI));
    Cli cli = cli(Map.of());
    assertThat(cli.run("login", "--issuer", idp.issuer(), "--client-id", DeviceIdp.CLIENT_ID))
        .as(cli.err())
        .isZero();
    idp.tokenRequests.clear();
  }

  @AfterEach
  void stop() {
    stint.close();
    idp.close();
  }

  private Cli cli(Map<String, String> env) {
    return new Cli(home, env, clock);
  }

  private String stored() throws Exception {
    return Files.readString(home.resolve(".config/stint/login.json"));
  }

  @Test
  void whoamiSendsTheStoredIdTokenAndPrintsTheServersAnswer() throws Exception {
    String idToken = stored().replaceAll("(?s).*\"id_token\" : \"([^\"]+)\".*", "$1");
    Cli cli = cli(Map.of());
    assertThat(cli.run("whoami", "--server", stint.url())).as(cli.err()).isZero();
    assertThat(stint.authorizations).containsExactly("Bearer " + idToken);
    assertThat(cli.out())
        .isEqualTo(
            """
        FIELD        VALUE
        issuer       corp
        issuer_url   https://login.example.com
        subject      alice
        email        alice@example.com
        groups       sre, eng
        groups_from  directory
        expires_at   2030-01-01T00:00:00Z
        verified     yes (by the server)
        """);
    assertThat(idp.tokenRequests).isEmpty();
  }

  @Test
  void whoamiJsonIsTheServersObject() {
    Cli cli = cli(Map.of());
    assertThat(cli.run("whoami", "--server", stint.url(), "-o", "json")).isZero();
    assertThat(cli.out()).contains("\"subject\" : \"alice\"").contains("\"verified\" : true");
  }

  @Test
  void whoamiWithoutTheServerEndpointShowsLocalClaimsMarkedUnverified() throws Exception {
    try (FakeStint old = new FakeStint(Map.of())) {
      Cli cli = cli(Map.of());
      assertThat(cli.run("whoami", "--server", old.url())).as(cli.err()).isZero();
      assertThat(cli.err()).contains("NOT verified by the server");
      assertThat(cli.out())
          .contains("issuer_url   " + idp.issuer())
          .contains("subject      alice")
          .contains("groups       sre, eng")
          .contains("groups_from  token")
          .contains("verified     NO: decoded locally, not verified by the server");
    }
  }

  @Test
  void stintTokenBeatsTheStoredLogin() {
    Cli cli = cli(Map.of("STINT_TOKEN", "from.the.environment"));
    assertThat(cli.run("whoami", "--server", stint.url())).isZero();
    assertThat(stint.authorizations).containsExactly("Bearer from.the.environment");
  }

  @Test
  void nearlyExpiredLoginIsRefreshedAndTheRotatedRefreshTokenSaved() throws Exception {
    clock.sleep(Duration.ofMinutes(59).plusSeconds(30)); // 30 s left on a 1 h ID token
    Cli cli = cli(Map.of());
    assertThat(cli.run("whoami", "--server", stint.url())).as(cli.err()).isZero();
    assertThat(idp.tokenRequests)
        .containsExactly(
            Map.of(
                "grant_type",
                "refresh_token",
                "refresh_token",
                "refresh-1",
                "client_id",
                DeviceIdp.CLIENT_ID));
    assertThat(stored()).contains("\"refresh_token\" : \"refresh-2\"");
    String sent = stint.authorizations.get(0).substring("Bearer ".length());
    assertThat(IdToken.decode(sent).claims()).containsEntry("n", 2L);
    assertThat(cli.err() + cli.out()).doesNotContain(sent).doesNotContain("refresh-");
  }

  @Test
  void completionSendsTheStoredLoginWhileItIsFresh() throws Exception {
    String idToken = stored().replaceAll("(?s).*\"id_token\" : \"([^\"]+)\".*", "$1");
    try (FakeStint server =
        new FakeStint(Map.of("/v1/profiles", "{\"profiles\":[{\"name\":\"gcp-dev\"}]}"))) {
      Cli cli = cli(Map.of("STINT_SERVER", server.url()));
      assertThat(cli.run("__complete", "--", "credentials", "")).isZero();
      assertThat(cli.out()).isEqualTo("gcp-dev\n");
      assertThat(server.authorizations).containsExactly("Bearer " + idToken);
    }
  }

  @Test
  void completionNeverRefreshesANearlyExpiredLoginAndOffersNothing() {
    clock.sleep(Duration.ofMinutes(59).plusSeconds(30));
    Cli cli = cli(Map.of("STINT_SERVER", stint.url()));
    assertThat(cli.run("__complete", "--", "credentials", "")).isZero();
    assertThat(cli.out()).isEmpty();
    assertThat(cli.err()).isEmpty();
    assertThat(idp.tokenRequests).isEmpty();
    assertThat(stint.authorizations).isEmpty();
  }

  @Test
  void refusedRefreshSaysRunLogin() {
    clock.sleep(Duration.ofHours(2));
    idp.script.add("invalid_grant");
    Cli cli = cli(Map.of());
    assertThat(cli.run("whoami", "--server", stint.url())).isEqualTo(3);
    assertThat(cli.err())
        .isEqualTo(
            "stint: login expired (invalid_grant from the identity provider):"
                + " run 'stint login'\n");
    assertThat(stint.authorizations).isEmpty();
  }

  @Test
  void unreachableProviderOnRefreshIsUnavailable() {
    clock.sleep(Duration.ofHours(2));
    idp.close();
    Cli cli = cli(Map.of());
    assertThat(cli.run("whoami", "--server", stint.url())).isEqualTo(4);
    assertThat(cli.err())
        .startsWith(
            "stint: login expired and could not be refreshed: cannot reach"
                + " the identity provider at "
                + idp.issuer());
  }

  @Test
  void expiredLoginWithoutRefreshTokenSaysRunLogin() throws Exception {
    Path file = home.resolve(".config/stint/login.json");
    Files.writeString(file, stored().replace("\"refresh-1\"", "null"));
    clock.sleep(Duration.ofHours(2));
    Cli cli = cli(Map.of());
    assertThat(cli.run("whoami", "--server", stint.url())).isEqualTo(3);
    assertThat(cli.err()).isEqualTo("stint: login expired: run 'stint login'\n");
    assertThat(idp.tokenRequests).isEmpty();
  }

  @Test
  void logoutRevokesTheRefreshTokenAndDeletesTheLogin() {
    Cli cli = cli(Map.of());
    assertThat(cli.run("logout")).isZero();
    assertThat(idp.revocations)
        .containsExactly(
            Map.of(
                "token",
                "refresh-1",
                "token_type_hint",
                "refresh_token",
                "client_id",
                DeviceIdp.CLIENT_ID));
    assertThat(home.resolve(".config/stint/login.json")).doesNotExist();
    assertThat(cli.err()).startsWith("Logged out; deleted ");

    Cli again = cli(Map.of());
    assertThat(again.run("logout")).isZero();
    assertThat(again.err()).isEqualTo("Not logged in.\n");
    Cli whoami = cli(Map.of());
    assertThat(whoami.run("whoami", "--server", stint.url())).isEqualTo(3);
    assertThat(whoami.err()).contains("not logged in: run 'stint login'");
  }

  @Test
  void logoutSucceedsWhenTheProviderIsDown() {
    idp.close();
    Cli cli = cli(Map.of());
    assertThat(cli.run("logout")).isZero();
    assertThat(cli.err()).contains("could not revoke the refresh token").contains("Logged out");
    assertThat(home.resolve(".config/stint/login.json")).doesNotExist();
  }
}
