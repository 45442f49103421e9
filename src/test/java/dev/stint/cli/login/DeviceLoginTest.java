package dev.stint.cli.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code stint login} (device flow) against the test-only {@link DeviceIdp}. */
class DeviceLoginTest {
  @TempDir Path home;
  private final TestClock clock = new TestClock(Instant.now());
  private DeviceIdp idp;

  @BeforeEach
  void start() throws Exception {
    idp = new DeviceIdp(clock);
  }

  @AfterEach
  void stop() {
    idp.close();
  }

  private Cli cli() {
    return new Cli(home, Map.of(), clock);
  }

  @Test
  void pollsAtTheProvidersPaceAndStoresTheTokensPrivately() throws Exception {
    idp.script.addAll(List.of("authorization_pending", "slow_down", "authorization_pending"));
    Cli cli = cli();
    int code = cli.run("login", "--issuer", idp.issuer(), "--client-id", DeviceIdp.CLIENT_ID);

    assertThat(code).as(cli.err()).isZero();
    // interval 5 s; slow_down adds 5 s for every later poll (RFC 8628 §3.5)
    assertThat(clock.sleeps)
        .containsExactly(
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(10));
    assertThat(idp.tokenRequests)
        .hasSize(4)
        .allSatisfy(
            form ->
                assertThat(form)
                    .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                            "grant_type",
                            "urn:ietf:params:oauth:grant-type:device_code",
                            "device_code",
                            "dev-code-1",
                            "client_id",
                            DeviceIdp.CLIENT_ID)));
    assertThat(cli.err())
        .contains("open " + idp.issuer() + "/verify and enter the code WDJB-MJHT")
        .contains(idp.issuer() + "/verify?user_code=WDJB-MJHT")
        .contains("Logged in as alice@example.com");
    Path file = home.resolve(".config/stint/login.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    String stored = Files.readString(file);
    assertThat(stored)
        .contains("\"refresh_token\" : \"refresh-1\"")
        .contains("\"client_id\" : \"stint-cli\"")
        .contains("\"token_endpoint\" : \"" + idp.issuer() + "/token\"");
    String idToken = stored.replaceAll("(?s).*\"id_token\" : \"([^\"]+)\".*", "$1");
    assertThat(cli.err() + cli.out())
        .doesNotContain(idToken)
        .doesNotContain("refresh-1")
        .doesNotContain("access-1");
  }

  @ParameterizedTest
  @CsvSource({
    "expired_token, the device code expired before sign-in completed: run 'stint login' again",
    "access_denied, sign-in was denied at the identity provider",
    "invalid_client, 'identity provider refused the login: invalid_client: scripted invalid_client'"
  })
  void terminalPollingErrorsStopWithOneLine(String error, String message) {
    idp.script.addAll(List.of("authorization_pending", error));
    Cli cli = cli();
    assertThat(cli.run("login", "--issuer", idp.issuer(), "--client-id", DeviceIdp.CLIENT_ID))
        .isEqualTo(3);
    assertThat(cli.err()).endsWith("stint: " + message + "\n");
    assertThat(home.resolve(".config/stint/login.json")).doesNotExist();
  }

  @Test
  void givesUpAtTheCodesExpiryEvenWhileThePollsSayPending() {
    idp.expiresIn = 12;
    idp.script.addAll(Collections.nCopies(50, "authorization_pending"));
    Cli cli = cli();
    assertThat(cli.run("login", "--issuer", idp.issuer(), "--client-id", DeviceIdp.CLIENT_ID))
        .isEqualTo(3);
    assertThat(cli.err()).contains("the device code expired before sign-in completed");
    assertThat(idp.tokenRequests).hasSize(2);
  }

  @Test
  void providerWithoutDeviceFlowPointsToBrowser() {
    idp.advertiseDevice = false;
    Cli cli = cli();
    assertThat(cli.run("login", "--issuer", idp.issuer(), "--client-id", DeviceIdp.CLIENT_ID))
        .isEqualTo(1);
    assertThat(cli.err()).contains("does not offer the device flow: use 'stint login --browser'");
  }

  @Test
  void providerComesFromTheServerWhenNoFlagsOrEnvironmentNameIt() throws Exception {
    try (FakeStint stint =
        new FakeStint(
            Map.of(
                "/v1/login",
                "{\"issuer\":\""
                    + idp.issuer()
                    + "\",\"client_id\":\"stint-cli\",\"scopes\":[\"openid\",\"email\",\"groups\"]}"))) {
      Cli cli = cli();
      assertThat(cli.run("login", "--server", stint.url())).as(cli.err()).isZero();
      assertThat(stint.authorizations).containsExactly("null");
      assertThat(Files.readString(home.resolve(".config/stint/login.json"))).contains(idp.issuer());
    }
  }

  @Test
  void environmentNamesTheProvider() {
    Cli cli =
        new Cli(
            home,
            Map.of(
                "STINT_OIDC_ISSUER",
                idp.issuer(),
                "STINT_OIDC_CLIENT_ID",
                "stint-cli",
                "STINT_SERVER",
                "http://127.0.0.1:1"),
            clock);
    assertThat(cli.run("login")).as(cli.err()).isZero();
  }

  @Test
  void serverWithoutLoginBlockSaysWhichFlagsToPass() throws Exception {
    try (FakeStint stint = new FakeStint(Map.of())) {
      Cli cli = cli();
      assertThat(cli.run("login", "--server", stint.url())).isEqualTo(2);
      assertThat(cli.err())
          .isEqualTo(
              "stint: stint at "
                  + stint.url()
                  + " does not advertise a login"
                  + " provider: pass --issuer URL and --client-id ID (or set STINT_OIDC_ISSUER and"
                  + " STINT_OIDC_CLIENT_ID)\n");
    }
  }

  @Test
  void unreachableServerWithoutFlagsSuggestsTheFlags() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Cli cli = cli();
    assertThat(cli.run("login", "--server", "http://127.0.0.1:" + port)).isEqualTo(4);
    assertThat(cli.err())
        .contains("connection refused")
        .contains("pass --issuer URL and --client-id ID");
  }

  @Test
  void plainHttpIssuerIsRefusedUnlessLoopback() {
    Cli cli = cli();
    assertThat(cli.run("login", "--issuer", "http://idp.example.com", "--client-id", "x"))
        .isEqualTo(2);
    assertThat(cli.err())
        .isEqualTo(
            "stint: issuer 'http://idp.example.com' must use https (plain http"
                + " is allowed only on 127.0.0.1, ::1 or localhost)\n");
    assertThat(idp.tokenRequests).isEmpty();
  }

  @Test
  void idTokenForAnotherClientIsRefused() {
    Cli cli = cli();
    assertThat(cli.run("login", "--issuer", idp.issuer(), "--client-id", "another-client"))
        .isEqualTo(1);
    assertThat(cli.err())
        .contains("ID token was refused: its audience is not the client id another-client");
    assertThat(home.resolve(".config/stint/login.json")).doesNotExist();
  }
}
