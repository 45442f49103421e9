package dev.stint.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** notify.teams.webhook_url: https or loopback http, and the URL (a secret) never shown. */
class TeamsConfigTest {
  static final String SIG = "c2lnbmF0dXJlLXNlY3JldA";
  static final String URL =
      "https://prod-12.westeurope.logic.azure.com:443/workflows/abc/"
          + "triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers&sv=1.0&sig="
          + SIG;

  @Test
  void absentMeansNoTeams() {
    assertThat(ConfigLoader.load(Optional.empty(), Map.of()).notifications().teams()).isEmpty();
  }

  @Test
  void aWorkflowUrlLoadsWithItsSignatureAndIsNeverShown() {
    StintConfig.TeamsWebhook hook =
        ConfigLoader.load(Optional.empty(), Map.of("STINT_TEAMS_WEBHOOK_URL", URL))
            .notifications()
            .teams()
            .orElseThrow();
    assertThat(hook.url().toString()).isEqualTo(URL);
    assertThat(hook.toString())
        .doesNotContain(SIG)
        .doesNotContain("workflows")
        .contains("prod-12.westeurope.logic.azure.com");
    assertThat(hook.redacted()).isEqualTo("https://prod-12.westeurope.logic.azure.com:443/***");
    assertThat(
            ConfigLoader.load(Optional.empty(), Map.of("STINT_TEAMS_WEBHOOK_URL", URL))
                .notifications()
                .toString())
        .doesNotContain(SIG);
  }

  @Test
  void loopbackHttpIsAllowedForALocalStandIn() {
    assertThat(
            ConfigLoader.load(
                    Optional.empty(),
                    Map.of("STINT_TEAMS_WEBHOOK_URL", "http://127.0.0.1:8081/hook?sig=" + SIG))
                .notifications()
                .teams())
        .isPresent();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://teams.example.com/hook?sig=" + SIG,
        "https://user:" + SIG + "@teams.example.com/hook",
        "https://teams.example.com/hook?sig=" + SIG + "#frag",
        "ftp://teams.example.com/hook?sig=" + SIG,
        "not a url ?sig=" + SIG,
        "/relative/hook?sig=" + SIG
      })
  void aBadUrlIsRefusedAtBootWithoutShowingIt(String url) {
    Throwable t =
        catchThrowable(
            () -> ConfigLoader.load(Optional.empty(), Map.of("STINT_TEAMS_WEBHOOK_URL", url)));
    assertThat(t).isInstanceOf(ConfigException.class);
    assertThat(t.getMessage())
        .contains("notify.teams.webhook_url")
        .contains("not shown")
        .doesNotContain(SIG)
        .doesNotContain("teams.example.com");
  }
}
