package dev.stint.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code facts.http}: the server's own fact providers by name, from the file or the environment,
 * each a URL (https, or http to a loopback address) with its token, never shown.
 */
class HttpFactsConfigTest {
  static final String TOKEN = "own-provider-secret-token-42";

  @TempDir Path dir;

  static StintConfig load(Map<String, String> env) {
    return ConfigLoader.load(Optional.empty(), env);
  }

  StintConfig loadFile(String yaml, Map<String, String> env) throws Exception {
    Path file = Files.writeString(dir.resolve("stint.yaml"), yaml);
    return ConfigLoader.load(Optional.of(file), env);
  }

  static String problemOf(Runnable load) {
    Throwable t = catchThrowable(load::run);
    assertThat(t).isInstanceOf(ConfigException.class);
    return t.getMessage();
  }

  @Test
  void noneByDefault() {
    assertThat(load(Map.of()).facts().http()).isEmpty();
  }

  @Test
  void aProviderIsReadFromTheEnvironmentItsNameLowerCased() {
    var http =
        load(Map.of(
                "STINT_FACTS_HTTP_CHANGE_OPEN_URL",
                "https://itsm.example.com/api/stint/facts/",
                "STINT_FACTS_HTTP_CHANGE_OPEN_TOKEN",
                TOKEN,
                "STINT_FACTS_HTTP_TEAM_URL",
                "http://127.0.0.1:9000/facts",
                "STINT_FACTS_HTTP_TEAM_TOKEN",
                TOKEN))
            .facts()
            .http();
    assertThat(http)
        .containsOnlyKeys("change_open", "team")
        .containsEntry(
            "change_open",
            new StintConfig.FactsEndpoint(
                URI.create("https://itsm.example.com/api/stint/facts"), TOKEN));
  }

  @Test
  void aProviderIsReadFromTheFileAndTheEnvironmentOverridesEachField() throws Exception {
    String yaml =
        "facts:\n  http:\n    team: {url: 'https://a.example.com/facts', token: file-token-1}\n";
    assertThat(loadFile(yaml, Map.of()).facts().http().get("team"))
        .isEqualTo(
            new StintConfig.FactsEndpoint(
                URI.create("https://a.example.com/facts"), "file-token-1"));
    assertThat(
            loadFile(yaml, Map.of("STINT_FACTS_HTTP_TEAM_TOKEN", TOKEN)).facts().http().get("team"))
        .isEqualTo(new StintConfig.FactsEndpoint(URI.create("https://a.example.com/facts"), TOKEN));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"http://facts.example.com/x", "http://10.0.0.8:8080/facts", "ftp://example.com"})
  void aUrlThatIsNeitherHttpsNorLoopbackHttpIsRefusedAtLoad(String url) {
    assertThat(
            problemOf(
                () ->
                    load(
                        Map.of(
                            "STINT_FACTS_HTTP_TEAM_URL",
                            url,
                            "STINT_FACTS_HTTP_TEAM_TOKEN",
                            TOKEN))))
        .contains("facts.http.team.url (env STINT_FACTS_HTTP_TEAM_URL)");
  }

  @Test
  void aUrlWithoutItsTokenOrATokenWithoutItsUrlIsRefused() {
    assertThat(problemOf(() -> load(Map.of("STINT_FACTS_HTTP_TEAM_URL", "https://a.example.com"))))
        .contains("facts.http.team.token is required with facts.http.team.url");
    assertThat(problemOf(() -> load(Map.of("STINT_FACTS_HTTP_TEAM_TOKEN", TOKEN))))
        .contains("facts.http.team.url is required with facts.http.team.token");
  }

  @Test
  void aNameAPolicyCouldNotCallAndAnUnknownFieldAreRefused() throws Exception {
    assertThat(
            problemOf(
                () ->
                    load(
                        Map.of(
                            "STINT_FACTS_HTTP_9LIVES_URL",
                            "https://a.example.com",
                            "STINT_FACTS_HTTP_9LIVES_TOKEN",
                            TOKEN))))
        .contains("'9lives' is not a fact provider's name");
    String yaml =
        "facts:\n  http:\n    Team-A: {url: 'https://a.example.com', token: t}\n"
            + "    team: {url: 'https://a.example.com', token: t, secret: x}\n"
            + "    empty: {}\n";
    assertThat(problemOf(() -> loadFileUnchecked(yaml)))
        .contains("facts.http.Team-A")
        .contains("unknown key 'facts.http.team.secret'")
        .contains("facts.http.empty needs url and token");
  }

  @Test
  void aTokenIsNeverShown() {
    String bad = "has a space " + TOKEN;
    assertThat(
            problemOf(
                () ->
                    load(
                        Map.of(
                            "STINT_FACTS_HTTP_TEAM_URL",
                            "https://a.example.com",
                            "STINT_FACTS_HTTP_TEAM_TOKEN",
                            bad))))
        .contains("facts.http.team.token")
        .doesNotContain(TOKEN);
    assertThat(
            load(Map.of(
                    "STINT_FACTS_HTTP_TEAM_URL",
                    "https://a.example.com",
                    "STINT_FACTS_HTTP_TEAM_TOKEN",
                    TOKEN))
                .toString())
        .doesNotContain(TOKEN);
  }

  private void loadFileUnchecked(String yaml) {
    try {
      loadFile(yaml, Map.of());
    } catch (ConfigException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The security review's M2: a URL's query is where its secret is; a refusal never repeats it. */
  @Test
  void aRefusedUrlIsNeverRepeatedWithItsQuery() {
    String problem =
        problemOf(
            () ->
                load(
                    Map.of(
                        "STINT_FACTS_HTTP_CHANGE_URL",
                        "https://prod-07.logic.example.com/invoke?sig=LOGICAPP-SECRET-SIG",
                        "STINT_FACTS_HTTP_CHANGE_TOKEN",
                        TOKEN)));
    assertThat(problem)
        .contains("must not have a query or fragment")
        .contains("https://prod-07.logic.example.com/invoke")
        .doesNotContain("LOGICAPP-SECRET-SIG");
    String notAUrl =
        problemOf(
            () ->
                load(
                    Map.of(
                        "STINT_FACTS_HTTP_CHANGE_URL",
                        "ftp://x/?code=FUNCTION-KEY-1",
                        "STINT_FACTS_HTTP_CHANGE_TOKEN",
                        TOKEN)));
    assertThat(notAUrl).doesNotContain("FUNCTION-KEY-1");
  }

  /** The security review's L7: one provider spelt two ways would be set by whichever came last. */
  @Test
  void aProvidersNameInTheEnvironmentIsWrittenInCapitalsOnly() {
    String problem =
        problemOf(
            () ->
                load(
                    Map.of(
                        "STINT_FACTS_HTTP_change_URL",
                        "https://evil.example.com/facts",
                        "STINT_FACTS_HTTP_CHANGE_URL",
                        "https://itsm.example.com/facts",
                        "STINT_FACTS_HTTP_CHANGE_TOKEN",
                        TOKEN)));
    assertThat(problem)
        .contains(
            "env STINT_FACTS_HTTP_change_URL: write the provider's name in capitals, as"
                + " STINT_FACTS_HTTP_CHANGE_URL");
  }
}
