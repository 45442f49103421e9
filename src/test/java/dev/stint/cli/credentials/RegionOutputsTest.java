package dev.stint.cli.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.cli.ci.GithubRunner;
import dev.stint.testing.CliRun;
import dev.stint.testing.FakeStintApi;
import dev.stint.testing.TestIdp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The profile's region reaches every output that AWS tools read (a CI job's {@code aws} call failed
 * with "You must specify a region" without it), while the credential_process JSON keeps exactly the
 * fields AWS specifies for Version 1.
 */
class RegionOutputsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String EXPIRES = "2026-11-23T11:00:00Z";
  private static final TestIdp IDP = new TestIdp("corp");
  private static final String TOKEN = IDP.token("alice", "eng");
  private static final List<String> VERSION_1 =
      List.of("Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration");

  @TempDir Path home;
  private final FakeStintApi api = new FakeStintApi();

  RegionOutputsTest() throws Exception {}

  @AfterEach
  void stop() {
    api.close();
  }

  @AfterAll
  static void stopIdp() {
    IDP.close();
  }

  private static String answer(String regionField) {
    return "{\"cloud\":\"aws\",\"access_key_id\":\"ASIAEXAMPLE\","
        + "\"secret_access_key\":\"secret\",\"session_token\":\"token\","
        + "\"expiration\":\""
        + EXPIRES
        + "\",\"credential_id\":\"crd_1\",\"grant_id\":\"g-1\""
        + regionField
        + "}";
  }

  private Map<String, String> env() {
    return Map.of("STINT_SERVER", api.uri().toString(), "STINT_TOKEN", TOKEN);
  }

  private CliRun exchange(String format, Map<String, String> env) {
    return CliRun.run(home, env, CLOCK, "exchange", "deploy", "--format", format);
  }

  @Test
  void envAndExchangeEnvExportTheRegionForSdksAndTheCli() {
    api.answer("/v1/exchange", answer(",\"region\":\"eu-west-1\""));
    api.answer("/v1/credentials", answer(",\"region\":\"eu-west-1\""));

    CliRun exchanged = exchange("env", env());
    CliRun fresh = CliRun.run(home, env(), CLOCK, "env", "aws-prod");
    CliRun cached = CliRun.run(home, env(), CLOCK, "env", "aws-prod");

    for (CliRun run : List.of(exchanged, fresh, cached)) {
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out())
          .contains("export AWS_ACCESS_KEY_ID='ASIAEXAMPLE'\n")
          .endsWith("export AWS_REGION='eu-west-1'\nexport AWS_DEFAULT_REGION='eu-west-1'\n");
      assertThat(run.err()).isEmpty();
    }
    assertThat(api.received())
        .as("the second env is served from the cache, region included")
        .extracting(FakeStintApi.Received::path)
        .containsExactly("/v1/exchange", "/v1/credentials");
  }

  @Test
  void jsonCarriesTheServersRegion() throws Exception {
    api.answer("/v1/exchange", answer(",\"region\":\"eu-west-1\""));

    CliRun run = exchange("json", env());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(JSON.readTree(run.out()).path("region").asText()).isEqualTo("eu-west-1");
  }

  @Test
  void githubEnvWritesTheRegionUnmasked() throws Exception {
    api.answer("/v1/exchange", answer(",\"region\":\"eu-west-1\""));
    Path file = home.resolve("set_env");
    Map<String, String> env =
        Map.of(
            "STINT_SERVER",
            api.uri().toString(),
            "STINT_TOKEN",
            TOKEN,
            "GITHUB_ENV",
            file.toString());

    CliRun run = exchange("github-env", env);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(GithubRunner.envFile(Files.readString(file)))
        .containsEntry("AWS_REGION", "eu-west-1")
        .containsEntry("AWS_DEFAULT_REGION", "eu-west-1")
        .containsEntry("AWS_ACCESS_KEY_ID", "ASIAEXAMPLE");
    assertThat(run.out()).contains("::add-mask::secret").doesNotContain("eu-west-1");
    assertThat(run.err()).contains("AWS_REGION, AWS_DEFAULT_REGION set for the next steps");
  }

  @Test
  void credentialProcessKeepsAwsFieldsAndNamesNoRegionOfItsOwn() throws Exception {
    api.answer("/v1/exchange", answer(",\"region\":\"eu-west-1\""));
    api.answer("/v1/credentials", answer(",\"region\":\"eu-west-1\""));

    JsonNode exchanged = JSON.readTree(exchange("credential-process", env()).out());
    JsonNode process =
        JSON.readTree(CliRun.run(home, env(), CLOCK, "credentials", "aws-prod").out());

    for (JsonNode json : List.of(exchanged, process)) {
      assertThat(json.path("Version").asInt()).isEqualTo(1);
      assertThat(json.path("AccessKeyId").asText()).isEqualTo("ASIAEXAMPLE");
      assertThat(json.path("Expiration").asText()).isEqualTo(EXPIRES);
      assertThat(json.has("Region")).as("no field AWS does not specify").isFalse();
      List<String> capitalised = new ArrayList<>();
      json.fieldNames()
          .forEachRemaining(
              f -> {
                if (Character.isUpperCase(f.charAt(0))) {
                  capitalised.add(f);
                }
              });
      assertThat(capitalised).containsExactlyElementsOf(VERSION_1);
    }
    assertThat(exchanged.has("region")).isFalse();
  }

  @Test
  void aProfileWithoutARegionSaysHowToGiveOneUnlessTheShellHasOne() {
    api.answer("/v1/exchange", answer(""));

    CliRun bare = exchange("env", env());
    CliRun withRegion =
        exchange(
            "env",
            Map.of(
                "STINT_SERVER", api.uri().toString(), "STINT_TOKEN", TOKEN, "AWS_REGION", "x-1"));

    assertThat(bare.exitCode()).isZero();
    assertThat(bare.out()).doesNotContain("AWS_REGION").doesNotContain("AWS_DEFAULT_REGION");
    assertThat(bare.err())
        .isEqualTo(
            "stint: profile deploy names no region: export AWS_REGION yourself, or give the"
                + " profile a region in the policy (aws: {region: …})\n");
    assertThat(withRegion.out()).doesNotContain("AWS_REGION");
    assertThat(withRegion.err()).isEmpty();
  }
}
