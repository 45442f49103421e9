package dev.stint.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The notify.slack keys: defaults, the rules that tie them together, and secrets never shown. */
class SlackConfigTest {
  static final String TOKEN = "xoxb-1111-2222-secretvalue";
  static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  private static String problem(Map<String, String> env) {
    Throwable t = catchThrowable(() -> ConfigLoader.load(Optional.empty(), env));
    assertThat(t).isInstanceOf(ConfigException.class);
    assertThat(t.getMessage()).doesNotContain(TOKEN).doesNotContain(SECRET);
    return t.getMessage();
  }

  @Test
  void noTokenMeansNoSlackApp() {
    assertThat(ConfigLoader.load(Optional.empty(), Map.of()).notifications().slack()).isEmpty();
  }

  @Test
  void aCompleteAppLoadsWithItsDefaultsAndHidesItsSecrets() {
    StintConfig.SlackApp app =
        ConfigLoader.load(
                Optional.empty(),
                env(
                    "STINT_SLACK_BOT_TOKEN",
                    TOKEN,
                    "STINT_SLACK_SIGNING_SECRET",
                    SECRET,
                    "STINT_SLACK_CHANNEL",
                    "C0123ABCD"))
            .notifications()
            .slack()
            .orElseThrow();
    assertThat(app.apiUrl()).isEqualTo(URI.create("https://slack.com/api/"));
    assertThat(app.identityMaxAge()).isEqualTo(Duration.ofHours(24));
    assertThat(app.toString()).doesNotContain(TOKEN).doesNotContain(SECRET).contains("C0123ABCD");
  }

  @Test
  void aTokenWithoutASigningSecretOrAnAppTokenIsRefused() {
    assertThat(problem(env("STINT_SLACK_BOT_TOKEN", TOKEN, "STINT_SLACK_CHANNEL", "C0123ABCD")))
        .contains("notify.slack.signing_secret")
        .contains("notify.slack.app_token")
        .contains("verify clicks");
  }

  static final String APP_TOKEN = "xapp-1-A0123-4567-secretappvalue";

  @Test
  void anAppTokenTurnsOnSocketModeWithoutASigningSecretAndIsHidden() {
    StintConfig.SlackApp app =
        ConfigLoader.load(
                Optional.empty(),
                env(
                    "STINT_SLACK_BOT_TOKEN",
                    TOKEN,
                    "STINT_SLACK_APP_TOKEN",
                    APP_TOKEN,
                    "STINT_SLACK_CHANNEL",
                    "C0123ABCD"))
            .notifications()
            .slack()
            .orElseThrow();
    assertThat(app.socketMode()).isTrue();
    assertThat(app.signingSecret()).isEmpty();
    assertThat(app.appToken()).contains(APP_TOKEN);
    assertThat(app.toString()).doesNotContain(APP_TOKEN).contains("appToken=***");
  }

  @Test
  void anAppTokenWithoutABotTokenIsRefused() {
    assertThat(problem(env("STINT_SLACK_APP_TOKEN", APP_TOKEN)))
        .contains("notify.slack.bot_token is not set, but notify.slack.app_token is")
        .doesNotContain(APP_TOKEN);
  }

  @Test
  void aBotTokenGivenAsTheAppTokenIsRefusedWithoutShowingIt() {
    assertThat(
            problem(
                env(
                    "STINT_SLACK_BOT_TOKEN",
                    TOKEN,
                    "STINT_SLACK_APP_TOKEN",
                    TOKEN,
                    "STINT_SLACK_CHANNEL",
                    "C0123ABCD")))
        .contains("notify.slack.app_token")
        .contains("xapp-");
  }

  @Test
  void emailMatchingNeedsTheWorkspaceAndDirectMessagesMakeTheChannelOptional() {
    assertThat(
            problem(
                env(
                    "STINT_SLACK_BOT_TOKEN",
                    TOKEN,
                    "STINT_SLACK_SIGNING_SECRET",
                    SECRET,
                    "STINT_SLACK_CHANNEL",
                    "C0123ABCD",
                    "STINT_SLACK_EMAIL_LINK_WITHIN",
                    "8h")))
        .contains("notify.slack.team_id");
    assertThat(
            problem(
                env(
                    "STINT_SLACK_BOT_TOKEN",
                    TOKEN,
                    "STINT_SLACK_SIGNING_SECRET",
                    SECRET,
                    "STINT_SLACK_CHANNEL",
                    "C0123ABCD",
                    "STINT_SLACK_EMAIL_LINK_WITHIN",
                    "1m",
                    "STINT_SLACK_TEAM_ID",
                    "T0123ABCD")))
        .contains("notify.slack.email_link_within");
    assertThat(
            problem(
                env(
                    "STINT_SLACK_BOT_TOKEN",
                    TOKEN,
                    "STINT_SLACK_SIGNING_SECRET",
                    SECRET,
                    "STINT_SLACK_DM_APPROVERS",
                    "yes")))
        .contains("notify.slack.dm_approvers");
    var app =
        ConfigLoader.load(
                Optional.empty(),
                env(
                    "STINT_SLACK_BOT_TOKEN",
                    TOKEN,
                    "STINT_SLACK_SIGNING_SECRET",
                    SECRET,
                    "STINT_SLACK_DM_APPROVERS",
                    "true",
                    "STINT_SLACK_EMAIL_LINK_WITHIN",
                    "8h",
                    "STINT_SLACK_TEAM_ID",
                    "T0123ABCD"))
            .notifications()
            .slack()
            .orElseThrow();
    assertThat(app.channel()).isEmpty();
    assertThat(app.dmApprovers()).isTrue();
    assertThat(app.emailLinkWithin()).contains(Duration.ofHours(8));
    assertThat(app.teamId()).contains("T0123ABCD");
  }

  @Test
  void aTokenWithoutAChannelIsRefused() {
    assertThat(problem(env("STINT_SLACK_BOT_TOKEN", TOKEN, "STINT_SLACK_SIGNING_SECRET", SECRET)))
        .contains("notify.slack.channel");
  }

  @Test
  void aSecretWithoutATokenIsRefused() {
    assertThat(problem(env("STINT_SLACK_SIGNING_SECRET", SECRET)))
        .contains("notify.slack.bot_token is not set");
  }

  @ParameterizedTest
  @CsvSource({
    "STINT_SLACK_BOT_TOKEN, xoxp-user-token-not-a-bot, notify.slack.bot_token",
    "STINT_SLACK_SIGNING_SECRET, short, notify.slack.signing_secret",
    "STINT_SLACK_CHANNEL, #general, notify.slack.channel",
    "STINT_SLACK_API_URL, http://slack.example.com/api/, notify.slack.api_url",
    "STINT_SLACK_API_URL, ftp://127.0.0.1/api/, notify.slack.api_url",
    "STINT_SLACK_IDENTITY_MAX_AGE, 90d, notify.slack.identity_max_age",
    "STINT_SLACK_IDENTITY_MAX_AGE, 5m, notify.slack.identity_max_age"
  })
  void badValuesAreRefusedByName(String variable, String value, String key) {
    Map<String, String> env =
        env(
            "STINT_SLACK_BOT_TOKEN",
            TOKEN,
            "STINT_SLACK_SIGNING_SECRET",
            SECRET,
            "STINT_SLACK_CHANNEL",
            "C0123ABCD");
    env.put(variable, value);
    assertThat(problem(env)).contains(key);
  }

  @Test
  void aLoopbackStandInMayBePlainHttpAndGetsItsSlash() {
    StintConfig.SlackApp app =
        ConfigLoader.load(
                Optional.empty(),
                env(
                    "STINT_SLACK_BOT_TOKEN",
                    TOKEN,
                    "STINT_SLACK_SIGNING_SECRET",
                    SECRET,
                    "STINT_SLACK_CHANNEL",
                    "C0123ABCD",
                    "STINT_SLACK_API_URL",
                    "http://127.0.0.1:9/api"))
            .notifications()
            .slack()
            .orElseThrow();
    assertThat(app.apiUrl()).isEqualTo(URI.create("http://127.0.0.1:9/api/"));
  }
}
