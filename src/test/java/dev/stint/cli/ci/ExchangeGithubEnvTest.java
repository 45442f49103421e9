package dev.stint.cli.ci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.cli.CliException;
import dev.stint.testing.CliRun;
import dev.stint.testing.FakeStintApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stint exchange --format github-env}: the variables go into {@code $GITHUB_ENV} exactly as
 * the Actions runner reads that file, and stdout carries only the {@code ::add-mask::} commands.
 */
class ExchangeGithubEnvTest {
  private static final String AWS =
      "{\"cloud\":\"aws\",\"access_key_id\":\"ASIAEXAMPLE\","
          + "\"secret_access_key\":\"s3cr3t/key+with=chars'\",\"session_token\":\"%s\","
          + "\"expiration\":\"2026-11-26T14:00:00Z\",\"ci_rule\":\"api-main\"}";

  private final FakeStintApi api;
  @TempDir Path home;

  ExchangeGithubEnvTest() throws Exception {
    api = new FakeStintApi();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private Map<String, String> env(Path githubEnv) {
    return Map.of(
        "STINT_SERVER",
        api.uri().toString(),
        "STINT_TOKEN",
        "a.b.c",
        "GITHUB_ENV",
        githubEnv.toString());
  }

  private CliRun exchange(Map<String, String> env) {
    return CliRun.run(home, env, "exchange", "deploy", "--format", "github-env");
  }

  @Test
  void writesTheThreeVariablesLiterallyAndOnlyMasksToStdout() throws Exception {
    api.answer("/v1/exchange", AWS.formatted("FwoGZXIvYXdzE+tok/en=="));
    Path file = home.resolve("runner/_temp/_runner_file_commands/set_env_1");
    Files.createDirectories(file.getParent());
    CliRun run = exchange(env(file));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Files.readString(file))
        .isEqualTo(
            "AWS_ACCESS_KEY_ID=ASIAEXAMPLE\n"
                + "AWS_SECRET_ACCESS_KEY=s3cr3t/key+with=chars'\n"
                + "AWS_SESSION_TOKEN=FwoGZXIvYXdzE+tok/en==\n");
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(run.out())
        .isEqualTo(
            "::add-mask::ASIAEXAMPLE\n"
                + "::add-mask::s3cr3t/key+with=chars'\n"
                + "::add-mask::FwoGZXIvYXdzE+tok/en==\n");
    assertThat(run.err())
        .contains("AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN")
        .contains("2026-11-26T14:00:00Z")
        .doesNotContain("ASIAEXAMPLE")
        .doesNotContain("s3cr3t")
        .doesNotContain("FwoG");
    assertThat(api.received())
        .singleElement()
        .satisfies(r -> assertThat(r.path()).isEqualTo("/v1/exchange"));
  }

  @Test
  void appendsAfterWhatEarlierStepsWroteEvenWithoutAFinalNewline() throws Exception {
    api.answer("/v1/exchange", AWS.formatted("tok"));
    Path file = home.resolve("set_env");
    Files.writeString(file, "EARLIER=1\nNO_NEWLINE=2");
    CliRun run = exchange(env(file));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(GithubRunner.envFile(Files.readString(file)))
        .containsExactly(
            Map.entry("EARLIER", "1"),
            Map.entry("NO_NEWLINE", "2"),
            Map.entry("AWS_ACCESS_KEY_ID", "ASIAEXAMPLE"),
            Map.entry("AWS_SECRET_ACCESS_KEY", "s3cr3t/key+with=chars'"),
            Map.entry("AWS_SESSION_TOKEN", "tok"));
  }

  @Test
  void aValueWithLineBreaksTakesTheDelimiterFormAndCannotAddAVariable() throws Exception {
    String hostile = "tok\\nINJECTED=1\\r\\nAWS_ACCESS_KEY_ID=AKIAATTACKER\\nEOF\\n%0A::stop";
    api.answer("/v1/exchange", AWS.formatted(hostile));
    Path file = home.resolve("set_env");
    CliRun run = exchange(env(file));
    assertThat(run.exitCode()).as(run.err()).isZero();
    String written = Files.readString(file);
    assertThat(written).containsPattern("(?m)^AWS_SESSION_TOKEN<<STINT_EOF_[0-9a-f]{32}$");
    String value = "tok\nINJECTED=1\r\nAWS_ACCESS_KEY_ID=AKIAATTACKER\nEOF\n%0A::stop";
    assertThat(GithubRunner.envFile(written))
        .containsExactly(
            Map.entry("AWS_ACCESS_KEY_ID", "ASIAEXAMPLE"),
            Map.entry("AWS_SECRET_ACCESS_KEY", "s3cr3t/key+with=chars'"),
            Map.entry("AWS_SESSION_TOKEN", value));
    // Every stdout line is a mask command: no line of the value reaches the log as itself.
    assertThat(run.out().split("\n")).allMatch(line -> line.startsWith("::add-mask::"));
    assertThat(run.out())
        .contains(
            "::add-mask::tok%0AINJECTED=1%0D%0AAWS_ACCESS_KEY_ID=AKIAATTACKER%0AEOF%0A%250A::stop\n")
        .contains("::add-mask::INJECTED=1\n")
        .contains("::add-mask::%250A::stop\n");
  }

  @Test
  void aDelimiterFoundInTheValueIsDrawnAgain() {
    Iterator<String> delimiters = List.of("EOF", "EOF2").iterator();
    assertThat(GithubEnv.lines(Map.of("V", "a\nEOF\nb"), delimiters::next))
        .isEqualTo("V<<EOF2\na\nEOF\nb\nEOF2\n");
  }

  @Test
  void gcpTokensAreWrittenForGcloudAndMaskedOnce() throws Exception {
    api.answer(
        "/v1/exchange",
        "{\"cloud\":\"gcp\",\"access_token\":\"ya29.tok\",\"expires_at\":\"2026-11-26T14:00:00Z\"}");
    Path file = home.resolve("set_env");
    CliRun run = exchange(env(file));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Files.readString(file))
        .isEqualTo("CLOUDSDK_AUTH_ACCESS_TOKEN=ya29.tok\nGOOGLE_OAUTH_ACCESS_TOKEN=ya29.tok\n");
    assertThat(run.out()).isEqualTo("::add-mask::ya29.tok\n");
  }

  @Test
  void withoutGithubEnvItRefusesBeforeSpendingTheToken() {
    api.answer("/v1/exchange", AWS.formatted("tok"));
    CliRun run = exchange(Map.of("STINT_SERVER", api.uri().toString(), "STINT_TOKEN", "a.b.c"));
    assertThat(run.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(run.err()).contains("$GITHUB_ENV").contains("not set");
    assertThat(run.out()).isEmpty();
    assertThat(api.received()).as("nothing exchanged").isEmpty();
  }

  @Test
  void aDurationIsAskedForInSeconds() throws Exception {
    api.answer("/v1/exchange", AWS.formatted("tok"));
    CliRun run =
        CliRun.run(
            home,
            env(home.resolve("set_env")),
            "exchange",
            "deploy",
            "--format",
            "github-env",
            "--duration",
            "15m");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(api.received())
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.body())
                    .isEqualTo("{\"profile\":\"deploy\",\"duration_seconds\":900}"));
    CliRun bad =
        CliRun.run(home, env(home.resolve("other")), "exchange", "deploy", "--duration", "soon");
    assertThat(bad.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(bad.err()).contains("--duration");
    assertThat(api.received()).hasSize(1);
  }
}
