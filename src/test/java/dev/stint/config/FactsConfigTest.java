package dev.stint.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code facts.*} keys: their defaults, their pairs, their URLs and their secrets. */
class FactsConfigTest {
  static final String PD_TOKEN = "u+pdSecretToken12345";
  static final String JIRA_TOKEN = "alice@example.com:ATATTjiraSecret42";

  static StintConfig load(Map<String, String> env) {
    return ConfigLoader.load(Optional.empty(), env);
  }

  static String problemOf(Map<String, String> env) {
    Throwable t = catchThrowable(() -> load(env));
    assertThat(t).isInstanceOf(ConfigException.class);
    return t.getMessage();
  }

  @Test
  void withoutKeysThereAreNoSourcesAndTheDefaultsHold() {
    StintConfig.FactsConfig facts = load(Map.of()).facts();
    assertThat(facts.pagerDuty()).isEmpty();
    assertThat(facts.jira()).isEmpty();
    assertThat(facts.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(facts.recheck()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void bothSourcesAreReadFromTheEnvironment() {
    StintConfig.FactsConfig facts =
        load(Map.of(
                "STINT_FACTS_PAGERDUTY_URL", "https://api.pagerduty.com/",
                "STINT_FACTS_PAGERDUTY_TOKEN", PD_TOKEN,
                "STINT_FACTS_JIRA_URL", "https://example.atlassian.net",
                "STINT_FACTS_JIRA_TOKEN", JIRA_TOKEN,
                "STINT_FACTS_TIMEOUT", "5s",
                "STINT_FACTS_RECHECK", "30s"))
            .facts();
    assertThat(facts.pagerDuty())
        .contains(new StintConfig.FactsEndpoint(URI.create("https://api.pagerduty.com"), PD_TOKEN));
    assertThat(facts.jira())
        .contains(
            new StintConfig.FactsEndpoint(URI.create("https://example.atlassian.net"), JIRA_TOKEN));
    assertThat(facts.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(facts.recheck()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aLoopbackHttpUrlIsAcceptedForAStandIn() {
    assertThat(
            load(Map.of(
                    "STINT_FACTS_JIRA_URL", "http://127.0.0.1:8089",
                    "STINT_FACTS_JIRA_TOKEN", "pat-token"))
                .facts()
                .jira())
        .map(StintConfig.FactsEndpoint::url)
        .contains(URI.create("http://127.0.0.1:8089"));
  }

  @ParameterizedTest
  @CsvSource({
    "STINT_FACTS_PAGERDUTY_URL, https://api.pagerduty.com, facts.pagerduty.token is required with"
        + " facts.pagerduty.url",
    "STINT_FACTS_PAGERDUTY_TOKEN, abc, facts.pagerduty.url is required with facts.pagerduty.token",
    "STINT_FACTS_JIRA_URL, https://example.atlassian.net, facts.jira.token is required with"
        + " facts.jira.url",
    "STINT_FACTS_JIRA_TOKEN, abc, facts.jira.url is required with facts.jira.token"
  })
  void aUrlWithoutItsTokenOrATokenWithoutItsUrlIsRefusedNamingTheMissingKey(
      String env, String value, String problem) {
    assertThat(problemOf(Map.of(env, value))).contains(problem);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"http://api.pagerduty.com", "http://10.0.0.8:8080", "ftp://example.com", "nope"})
  void aUrlThatIsNeitherHttpsNorLoopbackHttpIsRefused(String url) {
    assertThat(
            problemOf(
                Map.of("STINT_FACTS_PAGERDUTY_URL", url, "STINT_FACTS_PAGERDUTY_TOKEN", PD_TOKEN)))
        .contains("facts.pagerduty.url");
  }

  @ParameterizedTest
  @CsvSource({
    "STINT_FACTS_TIMEOUT, 0s",
    "STINT_FACTS_TIMEOUT, 31s",
    "STINT_FACTS_RECHECK, 5s",
    "STINT_FACTS_RECHECK, 2h",
    "STINT_FACTS_TIMEOUT, soon"
  })
  void durationsOutsideTheirRangeAreRefused(String env, String value) {
    String key = env.equals("STINT_FACTS_TIMEOUT") ? "facts.timeout" : "facts.recheck";
    assertThat(problemOf(Map.of(env, value))).contains(key);
  }

  @Test
  void aTokenWithASpaceIsRefusedWithoutBeingShown() {
    String token = "secret value 12345";
    String problem =
        problemOf(
            Map.of(
                "STINT_FACTS_JIRA_URL",
                "https://example.atlassian.net",
                "STINT_FACTS_JIRA_TOKEN",
                token));
    assertThat(problem).contains("facts.jira.token").doesNotContain(token).doesNotContain("secret");
  }

  @Test
  void theTokensNeverAppearInTheConfigurationsText() {
    StintConfig config =
        load(
            Map.of(
                "STINT_FACTS_PAGERDUTY_URL",
                "https://api.pagerduty.com",
                "STINT_FACTS_PAGERDUTY_TOKEN",
                PD_TOKEN,
                "STINT_FACTS_JIRA_URL",
                "https://example.atlassian.net",
                "STINT_FACTS_JIRA_TOKEN",
                JIRA_TOKEN));
    assertThat(config.toString())
        .contains("token=***")
        .doesNotContain(PD_TOKEN)
        .doesNotContain("ATATTjiraSecret42");
  }
}
