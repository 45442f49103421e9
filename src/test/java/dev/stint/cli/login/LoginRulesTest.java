package dev.stint.cli.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.cli.CliException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure rules of logging in, as tables. */
class LoginRulesTest {

  @ParameterizedTest
  @CsvSource({
    "https://login.example.com, true",
    "https://login.example.com/tenant/v2.0, true",
    "http://127.0.0.1:8080, true",
    "http://localhost:9000/default, true",
    "'http://[::1]:9000', true",
    "http://login.example.com, false",
    "http://127.0.0.1.nip.io, false",
    "http://10.0.0.1, false",
    "ftp://127.0.0.1, false"
  })
  void onlyHttpsOrLoopbackHttpIsAllowed(String url, boolean allowed) {
    if (allowed) {
      assertThat(Provider.requireSecure(URI.create(url), "issuer")).isEqualTo(URI.create(url));
    } else {
      assertThatThrownBy(() -> Provider.requireSecure(URI.create(url), "issuer"))
          .isInstanceOfSatisfying(
              CliException.class, e -> assertThat(e.exitCode()).isEqualTo(CliException.USAGE))
          .hasMessageContaining("must use https");
    }
  }

  @ParameterizedTest
  @CsvSource({"authorization_pending, 5, 5", "slow_down, 5, 10", "slow_down, 10, 15"})
  void pollingErrorsThatMeanKeepWaiting(String error, long before, long after) throws Exception {
    assertThat(DeviceFlow.next(new IdpClient.OAuthError(error, null), Duration.ofSeconds(before)))
        .isEqualTo(Duration.ofSeconds(after));
  }

  @ParameterizedTest
  @CsvSource({
    "expired_token, the device code expired",
    "access_denied, sign-in was denied",
    "invalid_grant, identity provider refused the login: invalid_grant"
  })
  void pollingErrorsThatEndTheLogin(String error, String message) {
    assertThatThrownBy(
            () -> DeviceFlow.next(new IdpClient.OAuthError(error, null), Duration.ofSeconds(5)))
        .isInstanceOf(CliException.class)
        .hasMessageContaining(message);
  }

  @Test
  void openidIsAlwaysAskedForAndDefaultsApplyWhenNothingIsNamed() {
    assertThat(new LoginSettings(URI.create("https://x"), "c", List.of()).scope())
        .isEqualTo("openid profile email offline_access");
    assertThat(new LoginSettings(URI.create("https://x"), "c", List.of("email", "groups")).scope())
        .isEqualTo("openid email groups");
  }

  @Test
  void providerErrorDescriptionsAreCutToOnePrintableLine() {
    String summary =
        new IdpClient.OAuthError("invalid_request", "bad\nthing\u001b[31m" + "x".repeat(300))
            .summary();
    assertThat(summary)
        .startsWith("invalid_request: bad thing [31m")
        .doesNotContain("\n")
        .hasSizeLessThan(230);
  }

  @Test
  void pkceChallengeIsUnpaddedBase64UrlOfSha256() {
    // SHA-256("abc") is the FIPS 180-2 example ba7816bf…15ad; mock-oauth2-server checks the
    // real thing end to end in BrowserLoginTest.
    assertThat(BrowserFlow.challenge("abc"))
        .isEqualTo("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    assertThat(BrowserFlow.random())
        .hasSize(43)
        .matches("[A-Za-z0-9_-]+")
        .isNotEqualTo(BrowserFlow.random());
  }
}
