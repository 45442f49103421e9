package dev.stint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.CliRun;
import dev.stint.testing.FakeStintApi;
import dev.stint.testing.TestIdp;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mistyped profile name is answered with the closest names among the profiles the caller may
 * list, read from the server; when none is close, or the list cannot be read, the refusal stands as
 * the server gave it.
 */
class ProfileSuggestionTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
  private static final TestIdp IDP = new TestIdp("corp");
  private static final String TOKEN = IDP.token("alice", "eng");
  private static final String PROFILES =
      "{\"profiles\":[{\"name\":\"aws-prod-admin\",\"cloud\":\"aws\"},"
          + "{\"name\":\"aws-prod-readonly\",\"cloud\":\"aws\"},"
          + "{\"name\":\"gcp-dev\",\"cloud\":\"gcp\"}]}";
  @TempDir Path home;
  private final FakeStintApi api = new FakeStintApi();

  ProfileSuggestionTest() throws Exception {}

  @AfterEach
  void stop() {
    api.close();
  }

  @AfterAll
  static void stopIdp() {
    IDP.close();
  }

  private CliRun credentials(String profile) {
    return CliRun.run(
        home,
        Map.of("STINT_SERVER", api.uri().toString(), "STINT_TOKEN", TOKEN),
        CLOCK,
        "credentials",
        profile);
  }

  @Test
  void aMistypedProfileIsAnsweredWithTheClosestNames() {
    api.problem("/v1/credentials", 404, "not_found", "unknown profile 'aws-prod-admn'");
    api.answer("/v1/profiles", PROFILES);

    CliRun refused = credentials("aws-prod-admn");

    assertThat(refused.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(refused.err())
        .isEqualTo(
            "stint: unknown profile 'aws-prod-admn' (not_found, trace req-1);"
                + " did you mean aws-prod-admin?\n");
  }

  @Test
  void nothingCloseLeavesTheRefusalAsItWas() {
    api.problem("/v1/credentials", 404, "not_found", "unknown profile 'azure-sandbox'");
    api.answer("/v1/profiles", PROFILES);

    assertThat(credentials("azure-sandbox").err())
        .isEqualTo("stint: unknown profile 'azure-sandbox' (not_found, trace req-1)\n");
  }

  @Test
  void aListThatCannotBeReadLeavesTheRefusalAsItWas() {
    api.problem("/v1/credentials", 404, "not_found", "unknown profile 'aws-prod-admn'");
    api.problem("/v1/profiles", 403, "forbidden", "people only");

    assertThat(credentials("aws-prod-admn").err())
        .isEqualTo("stint: unknown profile 'aws-prod-admn' (not_found, trace req-1)\n");
  }

  @Test
  void theNearestNamesWithinAThirdOfTheNameAreSuggested() {
    List<String> known =
        List.of(
            "aws-prod-admin", "aws-prod-audit", "aws-prod-readonly", "aws-dev-admin", "gcp", "gce");
    assertThat(Suggestions.closest("aws-prod-admn", known)).containsExactly("aws-prod-admin");
    assertThat(Suggestions.closest("AWS-PROD-ADMIN", known)).containsExactly("aws-prod-admin");
    assertThat(Suggestions.closest("aws-prod-amdin", known)).containsExactly("aws-prod-admin");
    assertThat(Suggestions.closest("aws-prod-adit", known)).containsExactly("aws-prod-audit");
    assertThat(Suggestions.closest("gcx", known)).containsExactly("gce", "gcp");
    assertThat(Suggestions.closest("gpc", known)).containsExactly("gcp");
    assertThat(Suggestions.closest("azure", known)).isEmpty();
    assertThat(Suggestions.closest("aws-prod-admin", known)).isEmpty();
  }
}
