package dev.stint.cli.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.cli.CliException;
import dev.stint.testing.CliRun;
import dev.stint.testing.FakeStintApi;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stint credentials} and {@code stint env} for GCP and Azure profiles. */
class CloudTokenCliTest {
  private final FakeStintApi api;
  @TempDir Path home;

  CloudTokenCliTest() throws Exception {
    api = new FakeStintApi();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  Map<String, String> env() {
    return Map.of("STINT_SERVER", api.uri().toString(), "STINT_TOKEN", "a.b.c");
  }

  @Test
  void gcpTokensPrintAsJsonAndAsGcloudExports() {
    api.answer(
        "/v1/credentials",
        "{\"cloud\":\"gcp\",\"access_token\":\"ya29.tok'en\","
            + "\"expires_at\":\"2026-11-23T12:00:00Z\",\"grant_id\":\"grt_x\"}");
    CliRun json = CliRun.run(home, env(), "credentials", "gcp-prod-viewer");
    assertThat(json.exitCode()).as(json.err()).isZero();
    assertThat(json.out())
        .isEqualTo(
            "{\"cloud\":\"gcp\",\"access_token\":\"ya29.tok'en\","
                + "\"expires_at\":\"2026-11-23T12:00:00Z\",\"grant_id\":\"grt_x\"}\n");
    CliRun exports = CliRun.run(home, env(), "env", "gcp-prod-viewer");
    assertThat(exports.out())
        .isEqualTo(
            "export CLOUDSDK_AUTH_ACCESS_TOKEN='ya29.tok'\\''en'\n"
                + "export GOOGLE_OAUTH_ACCESS_TOKEN='ya29.tok'\\''en'\n");
    assertThat(home.resolve(".cache/stint/aws")).doesNotExist();
  }

  @Test
  void azureTokensHaveNoEnvFormat() {
    api.answer(
        "/v1/credentials",
        "{\"cloud\":\"azure\",\"access_token\":\"eyJ0\","
            + "\"expires_on\":\"2026-11-23T12:00:00Z\",\"grant_id\":\"grt_y\"}");
    CliRun env = CliRun.run(home, env(), "env", "azure-prod");
    assertThat(env.exitCode()).isEqualTo(CliException.FAILED);
    assertThat(env.err()).contains("use 'stint credentials azure-prod'").doesNotContain("eyJ0");
  }
}
